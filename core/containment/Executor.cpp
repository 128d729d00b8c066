// The HTTPS transport of containment requests (QNetworkAccessManager).
#include "core/containment/Executor.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslError>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <set>

namespace chainsight::containment {

namespace {
QString now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}
constexpr qint64 kMaxResponse = 1 << 20;
constexpr qint64 kKeptResponse = 64 * 1024;

bool transientStatus(int s)
{
    return s == 429 || s == 502 || s == 503 || s == 504;
}
} // namespace

QString outcomeKindName(Outcome::Kind k)
{
    switch (k) {
    case Outcome::Kind::Confirmed:
        return QStringLiteral("confirmed");
    case Outcome::Kind::Http:
        return QStringLiteral("http");
    case Outcome::Kind::Conflict:
        return QStringLiteral("conflict");
    case Outcome::Kind::Timeout:
        return QStringLiteral("timeout");
    case Outcome::Kind::Tls:
        return QStringLiteral("tls");
    case Outcome::Kind::Network:
        return QStringLiteral("network");
    case Outcome::Kind::Redirect:
        return QStringLiteral("redirect");
    }
    return {};
}

Result<QList<QSslCertificate>> loadCaBundle(const QString& path)
{
    if (path.isEmpty())
        return makeError(ErrorCode::Usage, QStringLiteral("no CA bundle configured for this backend"), {}, -1,
                         QStringLiteral("ca_bundle"));
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, QStringLiteral("cannot read the CA bundle: ") + f.errorString(), path);
    if (f.size() > 4 * 1024 * 1024)
        return makeError(ErrorCode::Limit, QStringLiteral("CA bundle larger than 4 MiB"), path);
    auto certs = QSslCertificate::fromData(f.readAll(), QSsl::Pem);
    if (certs.isEmpty())
        return makeError(ErrorCode::Format, QStringLiteral("no PEM certificate in the CA bundle"), path);
    return certs;
}

struct Executor::Impl
{
    struct Job
    {
        HttpRequest request;
        QList<QSslCertificate> cas;
        TransportPolicy policy;
        Done done;
        Progress progress;
        Outcome outcome;
        int attempt = 0;
    };
    std::set<std::shared_ptr<Job>> jobs;
    std::shared_ptr<bool> alive = std::make_shared<bool>(true);
    // The managers of requests in flight: owned here, so none outlives the executor (a manager left running past
    // the application object corrupts the heap at exit).
    std::set<QNetworkAccessManager*> managers;

    void attempt(const std::shared_ptr<Job>& job);
    void finish(const std::shared_ptr<Job>& job)
    {
        job->outcome.finishedAt = now();
        job->outcome.attempts = job->attempt;
        job->outcome.message = maskSecrets(job->outcome.message, job->request.secrets);
        auto done = std::move(job->done);
        jobs.erase(job);
        if (done) done(job->outcome);
    }
    void retryOrFinish(const std::shared_ptr<Job>& job, bool transient)
    {
        if (!transient || job->attempt >= job->policy.maxAttempts) {
            finish(job);
            return;
        }
        const int delay = job->policy.backoffMs << std::min(job->attempt - 1, 10);
        if (job->progress)
            job->progress(job->attempt, QStringLiteral("attempt %1 failed (%2); retrying in %3 ms")
                                            .arg(job->attempt)
                                            .arg(maskSecrets(job->outcome.message, job->request.secrets))
                                            .arg(delay));
        std::weak_ptr<bool> weak = alive;
        QTimer::singleShot(delay, [this, job, weak] {
            if (weak.expired()) return;
            attempt(job);
        });
    }
};

void Executor::Impl::attempt(const std::shared_ptr<Job>& job)
{
    ++job->attempt;
    if (job->outcome.sentAt.isEmpty()) job->outcome.sentAt = now();
    if (job->progress) job->progress(job->attempt, QStringLiteral("sending (attempt %1)").arg(job->attempt));

    QNetworkRequest req{QUrl(job->request.url)};
    for (const auto& [k, v] : job->request.headers)
        req.setRawHeader(k, v);
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setCaCertificates(job->cas); // only the backend's CA: the system store is not consulted
    ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
    ssl.setProtocol(QSsl::TlsV1_2OrLater);
    req.setSslConfiguration(ssl);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);

    // A manager per attempt: no pooled connection is reused, so Qt never silently re-sends on a stale socket.
    auto* nam = new QNetworkAccessManager();
    managers.insert(nam);
    nam->setStrictTransportSecurityEnabled(false);
    QNetworkReply* reply = nam->sendCustomRequest(req, job->request.method, job->request.body);
    auto sslErrors = std::make_shared<QStringList>();
    auto timedOut = std::make_shared<bool>(false);
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [sslErrors](const QList<QSslError>& errors) {
        for (const auto& e : errors)
            sslErrors->append(e.errorString()); // never ignored
    });
    auto* timer = new QTimer(reply);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, reply, [reply, timedOut] {
        *timedOut = true;
        reply->abort();
    });
    timer->start(job->policy.timeoutMs);
    std::weak_ptr<bool> weak = alive;
    QObject::connect(reply, &QNetworkReply::finished, reply, [this, job, reply, nam, sslErrors, timedOut, weak] {
        reply->deleteLater();
        nam->deleteLater();
        if (weak.expired()) return;
        managers.erase(nam);
        Outcome& o = job->outcome;
        const QByteArray body = reply->read(kMaxResponse);
        o.responseSha256 = QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
        o.responseBody = maskSecrets(body.left(kKeptResponse), job->request.secrets);
        o.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const auto err = reply->error();
        if (*timedOut) {
            o.kind = Outcome::Kind::Timeout;
            o.httpStatus = 0;
            o.message = QStringLiteral("no answer within %1 ms").arg(job->policy.timeoutMs);
            retryOrFinish(job, true);
            return;
        }
        if (!sslErrors->isEmpty() || err == QNetworkReply::SslHandshakeFailedError) {
            o.kind = Outcome::Kind::Tls;
            o.message = QStringLiteral("TLS refused: ") +
                        (sslErrors->isEmpty() ? reply->errorString() : sslErrors->join(QStringLiteral("; ")));
            finish(job); // a certificate problem does not heal by retrying
            return;
        }
        if (o.httpStatus == 0) {
            o.kind = Outcome::Kind::Network;
            o.message = reply->errorString();
            retryOrFinish(job, true);
            return;
        }
        if (o.httpStatus >= 200 && o.httpStatus < 300) {
            o.kind = Outcome::Kind::Confirmed;
            o.message = QStringLiteral("HTTP %1").arg(o.httpStatus);
            finish(job);
            return;
        }
        if (o.httpStatus >= 300 && o.httpStatus < 400) {
            o.kind = Outcome::Kind::Redirect;
            o.message = QStringLiteral("HTTP %1: the backend redirected; redirects are not followed").arg(o.httpStatus);
            finish(job);
            return;
        }
        const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        if ((o.httpStatus == 409 || o.httpStatus == 422) &&
            (body.contains("dempotency") || reply->hasRawHeader("Idempotency-Key")))
            o.kind = Outcome::Kind::Conflict;
        else
            o.kind = Outcome::Kind::Http;
        o.message = QStringLiteral("HTTP %1 %2").arg(o.httpStatus).arg(reason);
        if (o.kind == Outcome::Kind::Conflict)
            o.message += QStringLiteral(": the idempotency key was already used with a different request");
        else if (o.httpStatus == 401 || o.httpStatus == 403)
            o.message += QStringLiteral(": the backend refused the credential");
        retryOrFinish(job, o.kind == Outcome::Kind::Http && transientStatus(o.httpStatus));
    });
}

Executor::Executor() : d(std::make_unique<Impl>()) {}
Executor::~Executor()
{
    d->alive.reset();
    // Requests still in flight are abandoned: their records stay "sent" (reconciled as "unknown" on the next open),
    // exactly as if the application had died; nothing of them runs after this.
    for (QNetworkAccessManager* nam : d->managers) {
        for (QNetworkReply* reply : nam->findChildren<QNetworkReply*>()) {
            QObject::disconnect(reply, nullptr, nullptr, nullptr);
            reply->abort();
        }
        delete nam;
    }
}

int Executor::running() const
{
    return static_cast<int>(d->jobs.size());
}

void Executor::send(const HttpRequest& request, const QList<QSslCertificate>& cas, const TransportPolicy& policy,
                    Done done, Progress progress)
{
    auto job = std::make_shared<Impl::Job>();
    job->request = request;
    job->cas = cas;
    job->policy = policy;
    if (job->policy.maxAttempts < 1) job->policy.maxAttempts = 1;
    job->done = std::move(done);
    job->progress = std::move(progress);
    d->jobs.insert(job);
    d->attempt(job);
}

} // namespace chainsight::containment
