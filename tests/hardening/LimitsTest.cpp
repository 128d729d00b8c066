// Limits on untrusted input (issue 9), each refused with its one line naming the file (and line or field)
// and an `import_refused` custody entry, the case otherwise unchanged: the total case size, a non-recursive
// zip bomb of overlapping entries, entry count, file and total sizes, line length, nesting depth.
#include "tests/unit/Fixtures.h"

#include <QElapsedTimer>

#include <zlib.h>

using namespace chainsight;
using namespace chainsight::testing;

namespace {

class LimitsTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        casePath = tmp.filePath("case.db");
        cs = openCase(casePath);
        ASSERT_TRUE(cs);
        bundle = tmp.filePath("bundle");
        ASSERT_TRUE(smallIncident().write(bundle));
    }

    // Imports path with options, expects a refusal whose one line contains `what`, and checks the case
    // gained nothing but the `import_refused` custody entry that records it.
    void expectRefused(const QString& path, const importers::ImportOptions& options, const std::string& what,
                       const std::string& fileInLine = {})
    {
        auto before = counts(*cs);
        auto r = importers::importPath(*cs, path, options);
        ASSERT_FALSE(r.ok()) << what << ": imported";
        const std::string line = errorText(r.error());
        EXPECT_NE(line.find(what), std::string::npos) << line;
        EXPECT_EQ(line.find('\n'), std::string::npos) << "not one line: " << line;
        EXPECT_NE(line.find(fileInLine.empty() ? path.toStdString() : fileInLine), std::string::npos)
            << "the line does not name the file: " << line;
        auto after = counts(*cs);
        before["custody"] += 1;
        EXPECT_EQ(after, before) << what;
        auto log = cs->custody();
        ASSERT_TRUE(log.ok());
        ASSERT_FALSE(log->empty());
        EXPECT_EQ(log->back().action, "import_refused") << what;
        EXPECT_NE(log->back().detail.find("limit"), std::string::npos) << log->back().detail;
    }

    importers::ImportOptions options() const
    {
        importers::ImportOptions o;
        o.actor = custody::Actor{"tester", "test-host"};
        return o;
    }

    QTemporaryDir tmp;
    QString casePath, bundle;
    std::unique_ptr<store::CaseStore> cs;
};

// --- A zip whose entries overlap (D. Fifield, "A better zip bomb", 2019) ---------------------------------

void put16(std::string& s, uint16_t v)
{
    s.append({char(v & 0xff), char(v >> 8)});
}
void put32(std::string& s, uint32_t v)
{
    s.append({char(v & 0xff), char((v >> 8) & 0xff), char((v >> 16) & 0xff), char(v >> 24)});
}

std::string localHeader(const std::string& name, uint32_t crc, uint32_t csize, uint32_t usize)
{
    std::string h;
    put32(h, 0x04034b50);
    put16(h, 20), put16(h, 0), put16(h, 8), put16(h, 0), put16(h, 0x21);
    put32(h, crc), put32(h, csize), put32(h, usize);
    put16(h, static_cast<uint16_t>(name.size())), put16(h, 0);
    return h + name;
}

// n files whose compressed data all run into one shared kernel: file i's deflate stream quotes file i+1's
// local header in a stored block and then goes on into file i+1's data. The archive is a few kilobytes; its
// files expand to n * kernelBytes and more.
std::string overlappingZip(int n, size_t kernelBytes)
{
    std::string plain(kernelBytes, 'a');
    z_stream z{};
    EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
    std::string kernel(deflateBound(&z, static_cast<uLong>(plain.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(plain.data());
    z.avail_in = static_cast<uInt>(plain.size());
    z.next_out = reinterpret_cast<Bytef*>(kernel.data());
    z.avail_out = static_cast<uInt>(kernel.size());
    EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    kernel.resize(z.total_out);
    deflateEnd(&z);
    const uint32_t kernelCrc =
        static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(plain.data()), static_cast<uInt>(plain.size())));

    std::vector<std::string> names, headers(n);
    for (int i = 0; i < n; ++i)
        names.push_back("f" + std::to_string(1000 + i));
    std::vector<uint32_t> crc(n), csize(n), usize(n);
    // From the last file back: each one's content is the next local header followed by the next content.
    crc[n - 1] = kernelCrc, csize[n - 1] = static_cast<uint32_t>(kernel.size()),
            usize[n - 1] = static_cast<uint32_t>(plain.size());
    headers[n - 1] = localHeader(names[n - 1], crc[n - 1], csize[n - 1], usize[n - 1]);
    for (int i = n - 2; i >= 0; --i) {
        const std::string& next = headers[i + 1];
        const uint32_t quoted = static_cast<uint32_t>(
            crc32(0, reinterpret_cast<const Bytef*>(next.data()), static_cast<uInt>(next.size())));
        crc[i] = static_cast<uint32_t>(crc32_combine(quoted, crc[i + 1], static_cast<z_off_t>(usize[i + 1])));
        usize[i] = static_cast<uint32_t>(next.size()) + usize[i + 1];
        csize[i] = 5 + static_cast<uint32_t>(next.size()) + csize[i + 1];
        headers[i] = localHeader(names[i], crc[i], csize[i], usize[i]);
    }
    std::string zip;
    std::vector<uint32_t> offsets(n);
    for (int i = 0; i < n; ++i) {
        offsets[i] = static_cast<uint32_t>(zip.size());
        zip += headers[i];
        if (i + 1 < n) { // a non-final stored block quoting the next local header
            const uint16_t len = static_cast<uint16_t>(headers[i + 1].size());
            zip += '\0';
            put16(zip, len);
            put16(zip, static_cast<uint16_t>(~len));
        }
    }
    zip += kernel;
    const uint32_t cdOffset = static_cast<uint32_t>(zip.size());
    for (int i = 0; i < n; ++i) {
        put32(zip, 0x02014b50);
        put16(zip, 20), put16(zip, 20), put16(zip, 0), put16(zip, 8), put16(zip, 0), put16(zip, 0x21);
        put32(zip, crc[i]), put32(zip, csize[i]), put32(zip, usize[i]);
        put16(zip, static_cast<uint16_t>(names[i].size())), put16(zip, 0), put16(zip, 0), put16(zip, 0), put16(zip, 0);
        put32(zip, 0), put32(zip, offsets[i]);
        zip += names[i];
    }
    const uint32_t cdSize = static_cast<uint32_t>(zip.size()) - cdOffset;
    put32(zip, 0x06054b50);
    put16(zip, 0), put16(zip, 0), put16(zip, static_cast<uint16_t>(n)), put16(zip, static_cast<uint16_t>(n));
    put32(zip, cdSize), put32(zip, cdOffset), put16(zip, 0);
    return zip;
}

} // namespace

TEST_F(LimitsTest, TotalCaseSizeIsLimited)
{
    // A case already holding one bundle; the limit set just above what it holds now.
    ASSERT_TRUE(importInto(*cs, bundle).ok());
    const int64_t now = QFileInfo(casePath).size() + QFileInfo(casePath + "-wal").size();
    BundleWriter second = smallIncident();
    second.bundleId = "b-test-02";
    const QString other = tmp.filePath("second");
    ASSERT_TRUE(second.write(other));
    auto o = options();
    o.limits.maxCaseBytes = now + 100;
    expectRefused(other, o, "beyond its limit of " + std::to_string(now + 100) + " bytes");
    // With the default limit it goes in.
    auto r = importers::importPath(*cs, other, options());
    EXPECT_TRUE(r.ok()) << errorText(r.error());
}

TEST_F(LimitsTest, OverlappingZipEntriesAreRefusedBeforeAnythingIsImported)
{
    const std::string zip = overlappingZip(250, 4u << 20); // ~20 KB expanding to over a gigabyte
    ASSERT_LT(zip.size(), 64u << 10);
    const QString path = tmp.filePath("overlap.zip");
    ASSERT_TRUE(writeFile(path, zip));
    QElapsedTimer t;
    t.start();
    expectRefused(path, options(), "decompression bomb");
    EXPECT_LT(t.elapsed(), 20000) << "the bomb was expanded rather than stopped";
    // The construction is sound: libarchive reads such a zip (a smaller one passes the ratio check only when
    // it is allowed to): every entry lists, and only the limits stop it.
    const QString small = tmp.filePath("overlap-small.zip");
    ASSERT_TRUE(writeFile(small, overlappingZip(3, 1000)));
    auto src = io::BundleSource::open(small);
    ASSERT_TRUE(src.ok()) << errorText(src.error());
    EXPECT_EQ((*src)->entries().size(), 3u);
}

TEST_F(LimitsTest, EntryCountFileSizeAndTotalSizeLimitsNameTheBundle)
{
    const QString zip = tmp.filePath("b.zip");
    ASSERT_TRUE(io::writeArchive(zip, io::ArchiveFormat::Zip, itemsOf(bundle)).ok());
    auto o = options();
    o.limits.maxEntries = 3;
    expectRefused(zip, o, "more than 3 entries");
    o = options();
    o.limits.maxFileBytes = 100;
    expectRefused(zip, o, "larger than the limit of 100 bytes");
    o = options();
    o.limits.maxTotalBytes = 1000;
    expectRefused(zip, o, "beyond the limit of 1000 bytes");
    // A directory bundle has the same limits.
    o = options();
    o.limits.maxEntries = 3;
    expectRefused(bundle, o, "more than 3 files");
}

TEST_F(LimitsTest, OverlongLineAndDeepNestingNameFileAndLine)
{
    // An event line over the 16 MiB limit, on line 3.
    BundleWriter w = smallIncident();
    w.bundleId = "b-long";
    w.addEventLine("{\"id\":\"x\",\"pad\":\"" + std::string((16u << 20) + 10, 'a') + "\"}");
    const QString longDir = tmp.filePath("long");
    ASSERT_TRUE(w.write(longDir));
    auto before = counts(*cs);
    auto r = importers::importPath(*cs, longDir, options());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Limit);
    EXPECT_NE(r.error().file.toStdString().find("events.jsonl"), std::string::npos) << errorText(r.error());
    EXPECT_GT(r.error().line, 0);
    // The line splitter or the JSON parser, whichever meets it first: both name the limit.
    EXPECT_NE(errorText(r.error()).find("16777216"), std::string::npos) << errorText(r.error());
    auto log = cs->custody();
    ASSERT_TRUE(log.ok());
    EXPECT_EQ(log->back().action, "import_refused");
    EXPECT_EQ(counts(*cs)["events"], before["events"]);

    // Nesting 65 levels deep in an event's arguments: refused at its line and field, nothing imported.
    BundleWriter d = smallIncident();
    d.bundleId = "b-deep";
    d.addEventLine(eventLine("deep", "2026-05-06T01:50:00Z", "tool_call", "refund-agent", "sess-1",
                             "\"tool\":\"x\",\"arguments\":" + std::string(70, '[') + std::string(70, ']')));
    const QString deepDir = tmp.filePath("deep");
    ASSERT_TRUE(d.write(deepDir));
    auto r2 = importers::importPath(*cs, deepDir, options());
    ASSERT_FALSE(r2.ok());
    EXPECT_NE(r2.error().file.toStdString().find("events.jsonl"), std::string::npos) << errorText(r2.error());
    EXPECT_GT(r2.error().line, 0);
    EXPECT_NE(errorText(r2.error()).find("nesting deeper than 64 levels"), std::string::npos) << errorText(r2.error());
    EXPECT_EQ(counts(*cs)["events"], before["events"]);
}

TEST_F(LimitsTest, DuplicateArchiveEntriesAreRefused)
{
    for (auto fmt : {io::ArchiveFormat::Zip, io::ArchiveFormat::TarGz}) {
        auto items = itemsOf(bundle);
        items.push_back({"events.jsonl", "{\"id\":\"shadow\"}\n"}); // a second events.jsonl after the real one
        const QString path = tmp.filePath(fmt == io::ArchiveFormat::Zip ? "dup.zip" : "dup.tar.gz");
        ASSERT_TRUE(io::writeArchive(path, fmt, items).ok());
        auto before = counts(*cs);
        auto r = importers::importPath(*cs, path, options());
        ASSERT_FALSE(r.ok());
        EXPECT_NE(errorText(r.error()).find("entry \"events.jsonl\" appears twice"), std::string::npos)
            << errorText(r.error());
        auto log = cs->custody();
        ASSERT_TRUE(log.ok());
        EXPECT_EQ(log->back().action, "import_refused");
        before["custody"] += 1;
        EXPECT_EQ(counts(*cs), before);
    }
}
