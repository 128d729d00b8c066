// Where backend secrets live: the operating system's keychain (QtKeychain, behind this wall), never the case file,
// the settings or a log. Tests use the in-memory store; scripted runs can read a private file (mode 0600).
#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <memory>

namespace chainsight::containment {

class CredentialStore
{
public:
    virtual ~CredentialStore() = default;
    virtual Result<QByteArray> read(const QString& ref) = 0;
    virtual Status write(const QString& ref, const QByteArray& secret) = 0;
    virtual Status remove(const QString& ref) = 0;
    virtual QString describe() const = 0; // "system keychain", "memory", "file PATH"
};

class MemoryCredentialStore final : public CredentialStore
{
public:
    Result<QByteArray> read(const QString& ref) override;
    Status write(const QString& ref, const QByteArray& secret) override;
    Status remove(const QString& ref) override;
    QString describe() const override { return QStringLiteral("memory"); }

private:
    QHash<QString, QByteArray> m_secrets;
};

// Lines "REF=SECRET"; read-only. Refused when group or others may read the file.
class FileCredentialStore final : public CredentialStore
{
public:
    static Result<std::unique_ptr<FileCredentialStore>> open(const QString& path);
    Result<QByteArray> read(const QString& ref) override;
    Status write(const QString& ref, const QByteArray& secret) override;
    Status remove(const QString& ref) override;
    QString describe() const override { return QStringLiteral("file ") + m_path; }

private:
    QString m_path;
    QHash<QString, QByteArray> m_secrets;
};

// The system keychain (Secret Service on Linux) under the service name "Chainsight"; blocks on a local event loop.
std::unique_ptr<CredentialStore> makeKeychainStore(const QString& service = QStringLiteral("Chainsight"));

} // namespace chainsight::containment
