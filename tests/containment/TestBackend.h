// A loopback HTTPS server (QSslServer, HTTP/1.1, one request per connection) that records every request it
// receives and answers like a backend with Idempotency-Key semantics: a request whose key it has seen with the same
// body gets the stored response again (one effect), the same key with another body gets 422. Faults can be queued
// (drop the connection after applying, answer 503, stall, answer 401).
#pragma once

#include "tests/containment/TestPki.h"
#include "tests/support/Wait.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSslServer>
#include <QString>

#include <deque>
#include <functional>

namespace chainsight::testing {

struct Received
{
    QByteArray method, path;
    std::vector<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray header(const QByteArray& name) const
    {
        for (const auto& [k, v] : headers)
            if (k.compare(name, Qt::CaseInsensitive) == 0) return v;
        return {};
    }
};

struct Reply
{
    int status = 200;
    QByteArray body = "{}";
    QByteArray contentType = "application/json";
};

class TestBackend
{
public:
    enum class Fault { None, DropAfterApply, Status503, Stall, Status401 };

    TestBackend(const KeyPair& pair);
    ~TestBackend();
    bool listening() const { return m_server.isListening(); }
    quint16 port() const { return m_server.serverPort(); }
    QString url(const QString& path = {}) const
    {
        return QStringLiteral("https://127.0.0.1:%1%2").arg(port()).arg(path);
    }

    // The answer to a request that takes effect (default: 200 {}).
    std::function<Reply(const Received&)> handler;
    // Called when a request arrives, before it is answered (tests check the case's records here).
    std::function<void(const Received&)> onArrive;
    void queueFault(Fault f) { m_faults.push_back(f); }

    QList<Received> received; // every request, replays included
    int effects = 0;          // requests that took effect (not replays)
    int replays = 0;
    int tlsFailures = 0; // handshakes that failed

private:
    void serve(QSslSocket* s);
    void answer(QSslSocket* s, const Received& r);
    QSslServer m_server;
    std::deque<Fault> m_faults;
    struct Stored
    {
        QByteArray bodyDigest;
        Reply reply;
    };
    QHash<QByteArray, Stored> m_idem;
};

} // namespace chainsight::testing
