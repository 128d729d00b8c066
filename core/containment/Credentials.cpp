// Credential stores: memory, a private file, and the system keychain through QtKeychain.
#include "core/containment/Credentials.h"

#include <qt6keychain/keychain.h>

#include <QEventLoop>
#include <QFile>
#include <QFileDevice>

namespace chainsight::containment {

Result<QByteArray> MemoryCredentialStore::read(const QString& ref)
{
    auto it = m_secrets.find(ref);
    if (it == m_secrets.end())
        return makeError(ErrorCode::Usage, QStringLiteral("no credential '%1' in the credential store").arg(ref));
    return *it;
}
Status MemoryCredentialStore::write(const QString& ref, const QByteArray& secret)
{
    m_secrets.insert(ref, secret);
    return {};
}
Status MemoryCredentialStore::remove(const QString& ref)
{
    m_secrets.remove(ref);
    return {};
}

Result<std::unique_ptr<FileCredentialStore>> FileCredentialStore::open(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, QStringLiteral("cannot read the credentials file: ") + f.errorString(), path);
    const auto perms = f.permissions();
    if (perms & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup | QFileDevice::WriteOther))
        return makeError(ErrorCode::Unsafe, QStringLiteral("group or others may read it; chmod 600 it"), path);
    if (f.size() > 1024 * 1024) return makeError(ErrorCode::Limit, QStringLiteral("larger than 1 MiB"), path);
    auto store = std::unique_ptr<FileCredentialStore>(new FileCredentialStore);
    store->m_path = path;
    qint64 lineNo = 0;
    while (!f.atEnd()) {
        ++lineNo;
        QByteArray line = f.readLine();
        while (line.endsWith('\n') || line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty() || line.startsWith('#')) continue;
        const int eq = line.indexOf('=');
        if (eq <= 0) return makeError(ErrorCode::Format, QStringLiteral("expected REF=SECRET"), path, lineNo);
        store->m_secrets.insert(QString::fromUtf8(line.left(eq).trimmed()), line.mid(eq + 1));
    }
    return store;
}
Result<QByteArray> FileCredentialStore::read(const QString& ref)
{
    auto it = m_secrets.find(ref);
    if (it == m_secrets.end())
        return makeError(ErrorCode::Usage, QStringLiteral("no credential '%1'").arg(ref), m_path);
    return *it;
}
Status FileCredentialStore::write(const QString&, const QByteArray&)
{
    return makeError(ErrorCode::Usage, QStringLiteral("the credentials file is read-only"), m_path);
}
Status FileCredentialStore::remove(const QString&)
{
    return makeError(ErrorCode::Usage, QStringLiteral("the credentials file is read-only"), m_path);
}

namespace {
class KeychainStore final : public CredentialStore
{
public:
    explicit KeychainStore(QString service) : m_service(std::move(service)) {}

    Result<QByteArray> read(const QString& ref) override
    {
        QKeychain::ReadPasswordJob job(m_service);
        job.setAutoDelete(false);
        job.setKey(ref);
        run(job);
        if (job.error() == QKeychain::EntryNotFound)
            return makeError(ErrorCode::Usage, QStringLiteral("no credential '%1' in the system keychain").arg(ref));
        if (job.error() != QKeychain::NoError)
            return makeError(ErrorCode::Io, QStringLiteral("system keychain: ") + job.errorString());
        return job.binaryData();
    }
    Status write(const QString& ref, const QByteArray& secret) override
    {
        QKeychain::WritePasswordJob job(m_service);
        job.setAutoDelete(false);
        job.setKey(ref);
        job.setBinaryData(secret);
        run(job);
        if (job.error() != QKeychain::NoError)
            return makeError(ErrorCode::Io, QStringLiteral("system keychain: ") + job.errorString());
        return {};
    }
    Status remove(const QString& ref) override
    {
        QKeychain::DeletePasswordJob job(m_service);
        job.setAutoDelete(false);
        job.setKey(ref);
        run(job);
        if (job.error() != QKeychain::NoError && job.error() != QKeychain::EntryNotFound)
            return makeError(ErrorCode::Io, QStringLiteral("system keychain: ") + job.errorString());
        return {};
    }
    QString describe() const override { return QStringLiteral("system keychain"); }

private:
    static void run(QKeychain::Job& job)
    {
        QEventLoop loop;
        QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
        job.start();
        loop.exec();
    }
    QString m_service;
};
} // namespace

std::unique_ptr<CredentialStore> makeKeychainStore(const QString& service)
{
    return std::make_unique<KeychainStore>(service);
}

} // namespace chainsight::containment
