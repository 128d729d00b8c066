// OpenSSL 3 EVP implementations of SHA-256 and Ed25519.
#include "core/crypto/Crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace chainsight::crypto {

struct Sha256::Impl
{
    EVP_MD_CTX* ctx = nullptr;
    ~Impl() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : d(std::make_unique<Impl>())
{
    d->ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(d->ctx, EVP_sha256(), nullptr);
}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(const void* data, size_t len)
{
    if (len) EVP_DigestUpdate(d->ctx, data, len);
}

Digest Sha256::finish()
{
    Digest out{};
    unsigned int n = 0;
    EVP_DigestFinal_ex(d->ctx, out.data(), &n);
    EVP_DigestInit_ex(d->ctx, EVP_sha256(), nullptr);
    return out;
}

// Not with opts 0: that returns at once when nothing is initialised yet. LOAD_CONFIG is what the first digest
// would do anyway, and it runs the base initialisation that registers the exit handler.
void initialise() { OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, nullptr); }

Digest sha256(std::string_view data)
{
    Digest out{};
    unsigned int n = 0;
    EVP_Digest(data.data(), data.size(), out.data(), &n, EVP_sha256(), nullptr);
    return out;
}

std::string toHex(const uint8_t* data, size_t len)
{
    static const char* hex = "0123456789abcdef";
    std::string out(len * 2, '0');
    for (size_t i = 0; i < len; ++i) {
        out[2 * i] = hex[data[i] >> 4];
        out[2 * i + 1] = hex[data[i] & 15];
    }
    return out;
}

std::string sha256Hex(std::string_view data) { return toHex(sha256(data)); }

bool isSha256Hex(std::string_view s)
{
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

namespace {
struct BioDeleter
{
    void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

QByteArray bioToBytes(BIO* bio)
{
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    return QByteArray(data, static_cast<int>(n));
}
} // namespace

struct PublicKey::Impl
{
    EVP_PKEY* key = nullptr;
    ~Impl() { EVP_PKEY_free(key); }
};

PublicKey::PublicKey() : d(std::make_unique<Impl>()) {}
PublicKey::~PublicKey() = default;
PublicKey::PublicKey(PublicKey&&) noexcept = default;
PublicKey& PublicKey::operator=(PublicKey&&) noexcept = default;

Result<PublicKey> PublicKey::fromPem(const QByteArray& pem)
{
    BioPtr bio(BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size())));
    EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
    if (!key) return makeError(ErrorCode::Format, QStringLiteral("not a PEM public key"));
    if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(key);
        return makeError(ErrorCode::Format, QStringLiteral("not an Ed25519 key"));
    }
    PublicKey out;
    out.d->key = key;
    return out;
}

bool PublicKey::verify(const uint8_t* msg, size_t msgLen, const QByteArray& signature) const
{
    return verify(msg, msgLen, reinterpret_cast<const uint8_t*>(signature.constData()), static_cast<size_t>(signature.size()));
}

bool PublicKey::verify(const uint8_t* msg, size_t msgLen, const uint8_t* signature, size_t signatureLen) const
{
    if (!d->key || signatureLen != 64) return false;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    bool ok = EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, d->key) == 1 &&
              EVP_DigestVerify(ctx, signature, 64, msg, msgLen) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

std::string PublicKey::fingerprint() const
{
    if (!d->key) return {};
    unsigned char* der = nullptr;
    int n = i2d_PUBKEY(d->key, &der);
    if (n <= 0) return {};
    std::string fp = sha256Hex(std::string_view(reinterpret_cast<const char*>(der), static_cast<size_t>(n)));
    OPENSSL_free(der);
    return fp;
}

QByteArray PublicKey::pem() const
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PUBKEY(bio.get(), d->key);
    return bioToBytes(bio.get());
}

struct PrivateKey::Impl
{
    EVP_PKEY* key = nullptr;
    ~Impl() { EVP_PKEY_free(key); }
};

PrivateKey::PrivateKey() : d(std::make_unique<Impl>()) {}
PrivateKey::~PrivateKey() = default;
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;

Result<PrivateKey> PrivateKey::fromPem(const QByteArray& pem)
{
    BioPtr bio(BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size())));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
    if (!key) return makeError(ErrorCode::Format, QStringLiteral("not a PEM private key"));
    if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(key);
        return makeError(ErrorCode::Format, QStringLiteral("not an Ed25519 key"));
    }
    PrivateKey out;
    out.d->key = key;
    return out;
}

Result<PrivateKey> PrivateKey::generate()
{
    EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (!key) return makeError(ErrorCode::Internal, QStringLiteral("Ed25519 key generation failed"));
    PrivateKey out;
    out.d->key = key;
    return out;
}

QByteArray PrivateKey::sign(const uint8_t* msg, size_t msgLen) const
{
    QByteArray sig(64, '\0');
    size_t len = 64;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    bool ok = EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, d->key) == 1 &&
              EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, msg, msgLen) == 1;
    EVP_MD_CTX_free(ctx);
    return ok ? sig : QByteArray();
}

QByteArray PrivateKey::publicPem() const
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PUBKEY(bio.get(), d->key);
    return bioToBytes(bio.get());
}

QByteArray PrivateKey::privatePem() const
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), d->key, nullptr, nullptr, 0, nullptr, nullptr);
    return bioToBytes(bio.get());
}

} // namespace chainsight::crypto
