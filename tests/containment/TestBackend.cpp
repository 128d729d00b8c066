// The loopback HTTPS test backend.
#include "tests/containment/TestBackend.h"

#include <QCryptographicHash>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>

namespace chainsight::testing {

TestBackend::TestBackend(const KeyPair& pair)
{
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setLocalCertificate(QSslCertificate(pair.certPem, QSsl::Pem));
    conf.setPrivateKey(QSslKey(pair.keyPem, QSsl::Ec, QSsl::Pem));
    conf.setPeerVerifyMode(QSslSocket::VerifyNone);
    m_server.setSslConfiguration(conf);
    m_server.setHandshakeTimeout(5000);
    QObject::connect(&m_server, &QSslServer::pendingConnectionAvailable, [this] {
        while (auto* s = m_server.nextPendingConnection())
            serve(static_cast<QSslSocket*>(s));
    });
    QObject::connect(&m_server, &QSslServer::errorOccurred,
                     [this](QSslSocket*, QAbstractSocket::SocketError) { ++tlsFailures; });
    QObject::connect(&m_server, &QSslServer::peerVerifyError, [](QSslSocket*, const QSslError&) {});
    m_server.listen(QHostAddress::LocalHost, 0);
}

TestBackend::~TestBackend()
{
    m_server.close();
}

void TestBackend::serve(QSslSocket* s)
{
    auto buf = std::make_shared<QByteArray>();
    QObject::connect(s, &QSslSocket::disconnected, s, &QObject::deleteLater);
    QObject::connect(s, &QSslSocket::readyRead, s, [this, s, buf] {
        buf->append(s->readAll());
        const int end = buf->indexOf("\r\n\r\n");
        if (end < 0) return;
        Received r;
        const QList<QByteArray> lines = buf->left(end).split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        r.method = first.value(0);
        r.path = first.value(1);
        qint64 length = 0;
        for (int i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const int colon = line.indexOf(':');
            if (colon <= 0) continue;
            r.headers.push_back({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            if (line.left(colon).trimmed().compare("Content-Length", Qt::CaseInsensitive) == 0)
                length = line.mid(colon + 1).trimmed().toLongLong();
        }
        if (buf->size() < end + 4 + length) return;
        r.body = buf->mid(end + 4, length);
        buf->clear();
        received.append(r);
        if (onArrive) onArrive(r);
        answer(s, r);
    });
}

void TestBackend::answer(QSslSocket* s, const Received& r)
{
    const Fault fault = m_faults.empty() ? Fault::None : m_faults.front();
    if (!m_faults.empty()) m_faults.pop_front();
    auto write = [s](const Reply& rep) {
        const auto reason = [](int status) -> QByteArray {
            switch (status) {
            case 200: return "OK";
            case 201: return "Created";
            case 204: return "No Content";
            case 302: return "Found";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 409: return "Conflict";
            case 422: return "Unprocessable Entity";
            case 429: return "Too Many Requests";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            default: return "Status";
            }
        };
        QByteArray out = "HTTP/1.1 " + QByteArray::number(rep.status) + ' ' + reason(rep.status) +
                         "\r\nContent-Type: " + rep.contentType +
                         "\r\nContent-Length: " + QByteArray::number(rep.body.size()) +
                         "\r\nConnection: close\r\n\r\n" + rep.body;
        s->write(out);
        s->flush();
        s->disconnectFromHost();
    };
    if (fault == Fault::Status503) return write(Reply{503, "{\"error\":\"unavailable\"}"});
    if (fault == Fault::Status401) return write(Reply{401, "{\"error\":\"unauthorized\"}"});

    const QByteArray key = r.header("Idempotency-Key");
    const QByteArray digest =
        QCryptographicHash::hash(r.method + ' ' + r.path + '\n' + r.body, QCryptographicHash::Sha256);
    Reply rep;
    auto it = key.isEmpty() ? m_idem.end() : m_idem.find(key);
    if (it != m_idem.end()) {
        if (it->bodyDigest != digest) {
            rep = Reply{422, "{\"error\":\"Idempotency-Key reused with a different request\"}"};
        } else {
            ++replays;
            rep = it->reply;
        }
    } else {
        ++effects;
        rep = handler ? handler(r) : Reply{};
        if (!key.isEmpty()) m_idem.insert(key, Stored{digest, rep});
    }
    if (fault == Fault::Stall) return; // applied, but never answers: the client times out
    if (fault == Fault::DropAfterApply) {
        s->abort(); // the effect happened; the answer is lost
        return;
    }
    write(rep);
}

} // namespace chainsight::testing
