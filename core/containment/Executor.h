// Sends one containment request over HTTPS and reports what the backend said: TLS always verified against the
// backend's own CA bundle (and nothing else), a timeout per attempt, retries with exponential backoff on transient
// faults (timeouts, dropped connections, 429/502/503/504) with the same Idempotency-Key, no redirects followed.
// Asynchronous on the calling thread's event loop; no QObject subclass, so core needs no moc.
#pragma once

#include "core/Result.h"
#include "core/containment/Containment.h"

#include <QList>
#include <QSslCertificate>

#include <functional>
#include <memory>

namespace chainsight::containment {

struct TransportPolicy
{
    int timeoutMs = 15000;
    int maxAttempts = 4; // first try + 3 retries
    int backoffMs = 500; // doubled after each failed attempt
};

struct Outcome
{
    enum class Kind { Confirmed, Http, Conflict, Timeout, Tls, Network, Redirect };
    Kind kind = Kind::Network;
    int httpStatus = 0;
    QByteArray responseSha256; // hex; of the whole response body
    QByteArray responseBody;   // first 64 KiB, secrets masked
    QString message;           // plain words, secrets masked
    int attempts = 0;
    QString sentAt, finishedAt; // RFC 3339
    bool confirmed() const { return kind == Kind::Confirmed; }
};
QString outcomeKindName(Outcome::Kind k); // confirmed, http, conflict, timeout, tls, network, redirect

// Reads a PEM bundle of CA certificates; an error when the file is missing, unreadable or holds none.
Result<QList<QSslCertificate>> loadCaBundle(const QString& path);

class Executor
{
public:
    Executor();
    ~Executor();
    Executor(const Executor&) = delete;
    Executor& operator=(const Executor&) = delete;

    using Done = std::function<void(const Outcome&)>;
    using Progress = std::function<void(int attempt, const QString& what)>;
    // Starts sending; done is called exactly once (on this thread), unless the executor is destroyed first.
    void send(const HttpRequest& request, const QList<QSslCertificate>& cas, const TransportPolicy& policy, Done done,
              Progress progress = {});
    int running() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace chainsight::containment
