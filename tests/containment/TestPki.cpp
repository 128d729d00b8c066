// Test PKI with the OpenSSL EVP API.
#include "tests/containment/TestPki.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <stdexcept>

namespace chainsight::testing {

namespace {
std::atomic<long> g_serial{1000};

QByteArray bioText(BIO* b)
{
    char* data = nullptr;
    const long n = BIO_get_mem_data(b, &data);
    QByteArray out(data, static_cast<int>(n));
    BIO_free(b);
    return out;
}

void addExt(X509* cert, X509* issuer, int nid, const char* value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext) throw std::runtime_error("X509V3_EXT_conf_nid");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

KeyPair make(const char* cn, const QStringList& sans, bool isCa, int notBeforeDays, int notAfterDays,
             const KeyPair* issuerPair)
{
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), g_serial++);
    X509_gmtime_adj(X509_getm_notBefore(cert), long(notBeforeDays) * 86400);
    X509_gmtime_adj(X509_getm_notAfter(cert), long(notAfterDays) * 86400);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);

    X509* issuer = cert;
    EVP_PKEY* signKey = key;
    if (issuerPair) {
        BIO* cb = BIO_new_mem_buf(issuerPair->certPem.constData(), int(issuerPair->certPem.size()));
        issuer = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
        BIO_free(cb);
        BIO* kb = BIO_new_mem_buf(issuerPair->keyPem.constData(), int(issuerPair->keyPem.size()));
        signKey = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
        BIO_free(kb);
    }
    X509_set_issuer_name(cert, X509_get_subject_name(issuer));
    if (isCa) {
        addExt(cert, issuer, NID_basic_constraints, "critical,CA:TRUE");
        addExt(cert, issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        addExt(cert, issuer, NID_basic_constraints, "CA:FALSE");
        addExt(cert, issuer, NID_ext_key_usage, "serverAuth");
        if (!sans.isEmpty()) addExt(cert, issuer, NID_subject_alt_name, sans.join(',').toLatin1().constData());
    }
    addExt(cert, issuer, NID_subject_key_identifier, "hash");
    X509_sign(cert, signKey, EVP_sha256());

    KeyPair out;
    BIO* cb = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(cb, cert);
    out.certPem = bioText(cb);
    BIO* kb = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(kb, key, nullptr, nullptr, 0, nullptr, nullptr);
    out.keyPem = bioText(kb);
    if (issuerPair) {
        X509_free(issuer);
        EVP_PKEY_free(signKey);
    }
    X509_free(cert);
    EVP_PKEY_free(key);
    return out;
}
} // namespace

TestPki::TestPki()
{
    m_ca = make("Chainsight Test CA", {}, true, -1, 365, nullptr);
}

KeyPair TestPki::issue(const QStringList& sans, int notBeforeDays, int notAfterDays) const
{
    return make("chainsight-test-backend", sans, false, notBeforeDays, notAfterDays, &m_ca);
}

KeyPair TestPki::selfSigned(const QStringList& sans)
{
    return make("chainsight-self-signed", sans, false, -1, 30, nullptr);
}

} // namespace chainsight::testing
