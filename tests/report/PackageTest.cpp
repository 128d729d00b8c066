// The signed evidence package: an intact package verifies; a changed, missing or added file fails naming the
// file; a package signed by another key fails on the signature; a bundle .zip is not taken for a package.
#include "core/crypto/Crypto.h"
#include "core/custody/Custody.h"
#include "core/io/ArchiveWriter.h"
#include "core/io/BundleSource.h"
#include "core/package/EvidencePackage.h"
#include "core/store/CaseStore.h"
#include "importers/Importer.h"

#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace chainsight;

namespace {

class PackageFixture : public ::testing::Test
{
protected:
    static inline QTemporaryDir* dir = nullptr;
    static inline std::string privatePem, publicPem;

    static QString pkg() { return dir->filePath(QStringLiteral("package.zip")); }

    static void SetUpTestSuite()
    {
        dir = new QTemporaryDir;
        store::OpenOptions o;
        o.mode = store::OpenOptions::Mode::OpenOrCreate;
        auto cs = store::CaseStore::open(dir->filePath(QStringLiteral("demo.db")), o);
        ASSERT_TRUE(cs.ok());
        importers::ImportOptions io;
        io.actor = custody::Actor{"tester", "test-host"};
        ASSERT_TRUE(
            importers::importPath(**cs, QStringLiteral(CHAINSIGHT_SOURCE_DIR "/resources/demo/refund-incident"), io, {})
                .ok());
        auto key = crypto::PrivateKey::generate();
        ASSERT_TRUE(key.ok());
        privatePem = key->privatePem().toStdString();
        publicPem = key->publicPem().toStdString();
        package::PackageOptions po;
        po.privateKeyPem = QByteArray::fromStdString(privatePem);
        po.extra.push_back({"report/report.html", "report", "<html>report</html>"});
        auto s = package::writePackage(**cs, pkg(), po);
        ASSERT_TRUE(s.ok()) << s.error().toString().toStdString();
        EXPECT_GT(s->files, 10);
    }
    static void TearDownTestSuite() { delete dir; }

    // The package's entries, to rebuild it with a change.
    static std::vector<io::ArchiveItem> entries()
    {
        std::vector<io::ArchiveItem> out;
        auto src = io::BundleSource::open(pkg());
        EXPECT_TRUE(src.ok());
        for (const auto& e : (*src)->entries())
            out.push_back({e.path, *(*src)->readAll(e.path, 1LL << 30)});
        return out;
    }
    static QString rewrite(const std::vector<io::ArchiveItem>& items, const char* name)
    {
        const QString path = dir->filePath(QString::fromUtf8(name));
        EXPECT_TRUE(io::writeArchive(path, io::ArchiveFormat::Zip, items).ok());
        return path;
    }
};

TEST_F(PackageFixture, IntactPackageVerifies)
{
    EXPECT_TRUE(package::isPackage(pkg()));
    auto r = package::verifyPackage(pkg());
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->intact()) << (r->problems.empty() ? "" : r->problems.front().toLine());
    EXPECT_FALSE(r->keyPinned);
    EXPECT_EQ(r->files, r->filesValid);
    auto pinned = package::verifyPackage(pkg(), QByteArray::fromStdString(publicPem));
    ASSERT_TRUE(pinned.ok());
    EXPECT_TRUE(pinned->intact());
    EXPECT_TRUE(pinned->keyPinned);
    // The package holds the original bundle files, the case, the custody log and the key.
    std::set<std::string> paths;
    for (const auto& e : entries())
        paths.insert(e.path);
    for (const char* p : {"evidence/b-2026-05-06-refund-01/events.jsonl",
                          "evidence/b-2026-05-06-refund-01/manifest.json", "case/case.db", "custody/custody.jsonl",
                          "signer.pub.pem", "chainsight-package.dsse.json", "report/report.html"})
        EXPECT_TRUE(paths.count(p)) << p;
}

TEST_F(PackageFixture, ChangedMissingOrAddedFileIsNamed)
{
    const std::string target = "evidence/b-2026-05-06-refund-01/events.jsonl";
    auto items = entries();
    for (auto& i : items)
        if (i.path == target) i.data[i.data.size() / 2] ^= 0x20;
    auto changed = package::verifyPackage(rewrite(items, "changed.zip"));
    ASSERT_TRUE(changed.ok());
    EXPECT_FALSE(changed->intact());
    ASSERT_EQ(changed->problems.size(), 1u);
    EXPECT_EQ(changed->problems[0].file, target);
    EXPECT_EQ(changed->problems[0].check, "sha256");
    EXPECT_TRUE(changed->signatureValid); // the manifest itself is untouched

    items = entries();
    std::erase_if(items, [](const io::ArchiveItem& i) { return i.path == "case/case.db"; });
    items.push_back({"evidence/extra.txt", "planted"});
    auto moved = package::verifyPackage(rewrite(items, "moved.zip"));
    ASSERT_TRUE(moved.ok());
    ASSERT_EQ(moved->problems.size(), 2u);
    EXPECT_EQ(moved->problems[0].toLine(), "case/case.db: missing: listed in the manifest, absent from the package");
    EXPECT_EQ(moved->problems[1].file, "evidence/extra.txt");
    EXPECT_EQ(moved->problems[1].check, "unlisted");
}

TEST_F(PackageFixture, AnotherKeyOrAForgedManifestFailsTheSignature)
{
    auto other = crypto::PrivateKey::generate();
    ASSERT_TRUE(other.ok());
    auto r = package::verifyPackage(pkg(), other->publicPem());
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->signatureValid);
    ASSERT_FALSE(r->problems.empty());
    EXPECT_EQ(r->problems[0].file, package::kEnvelopePath);
    EXPECT_EQ(r->problems[0].check, "signature");

    // Swapping in another key inside the package does not help: it is not the one the manifest names.
    auto items = entries();
    for (auto& i : items)
        if (i.path == package::kPublicKeyPath) i.data = other->publicPem().toStdString();
    auto swapped = package::verifyPackage(rewrite(items, "swapped.zip"));
    ASSERT_TRUE(swapped.ok());
    EXPECT_FALSE(swapped->intact());
}

TEST_F(PackageFixture, DamagedArchiveFailsWithoutCrashing)
{
    QFile f(pkg());
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    QByteArray bytes = f.readAll();
    f.close();
    // Truncated: not a readable zip at all.
    const QString cut = dir->filePath(QStringLiteral("cut.zip"));
    QFile c(cut);
    ASSERT_TRUE(c.open(QIODevice::WriteOnly));
    c.write(bytes.left(bytes.size() / 3));
    c.close();
    auto r = package::verifyPackage(cut);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->intact());
}

TEST(Package, PaeIsTheDsseEncoding)
{
    EXPECT_EQ(package::pae("http://example.com/HelloWorld", "hello world"),
              "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
}

} // namespace
