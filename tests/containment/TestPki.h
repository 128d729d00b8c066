// A certificate authority made by the test (OpenSSL EVP API, EC P-256): server certificates for loopback, and the
// bad ones (expired, wrong host, self-signed) the client must refuse.
#pragma once

#include <QByteArray>
#include <QStringList>

namespace chainsight::testing {

struct KeyPair
{
    QByteArray certPem, keyPem;
};

class TestPki
{
public:
    TestPki(); // creates the CA
    const QByteArray& caPem() const { return m_ca.certPem; }
    // A leaf signed by the CA; SANs like "DNS:localhost", "IP:127.0.0.1"; validity in days relative to now.
    KeyPair issue(const QStringList& sans, int notBeforeDays = -1, int notAfterDays = 30) const;
    // A self-signed leaf (not from the CA) with the right SANs.
    static KeyPair selfSigned(const QStringList& sans);

private:
    KeyPair m_ca;
};

} // namespace chainsight::testing
