// Hashing and signatures behind a wall: SHA-256 and Ed25519 (RFC 8032) through the OpenSSL 3 EVP API.
#pragma once

#include "core/Result.h"

#include <QByteArray>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace chainsight::crypto {

using Digest = std::array<uint8_t, 32>;

// Incremental SHA-256.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;
    void update(const void* data, size_t len);
    void update(std::string_view s) { update(s.data(), s.size()); }
    Digest finish();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// Loads OpenSSL now, which registers its exit handler now. A program that stops worker threads from an exit
// handler of its own calls this before registering that handler: exit handlers run last-registered first, so
// OpenSSL then cleans up after the workers are gone. The other way round, its cleanup runs while a worker still
// lives and that thread's OpenSSL state (its error queue) is never freed.
void initialise();

Digest sha256(std::string_view data);
std::string toHex(const uint8_t* data, size_t len);
inline std::string toHex(const Digest& d) { return toHex(d.data(), d.size()); }
std::string sha256Hex(std::string_view data);
// True for exactly 64 lowercase hex characters.
bool isSha256Hex(std::string_view s);

class PublicKey
{
public:
    PublicKey();
    ~PublicKey();
    PublicKey(PublicKey&&) noexcept;
    PublicKey& operator=(PublicKey&&) noexcept;

    // An Ed25519 public key in SubjectPublicKeyInfo PEM. Other key types are refused.
    static Result<PublicKey> fromPem(const QByteArray& pem);
    bool verify(const uint8_t* msg, size_t msgLen, const QByteArray& signature) const;
    bool verify(const uint8_t* msg, size_t msgLen, const uint8_t* signature, size_t signatureLen) const;
    // SHA-256 of the DER SubjectPublicKeyInfo, hex: the key's fingerprint.
    std::string fingerprint() const;
    QByteArray pem() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

class PrivateKey
{
public:
    PrivateKey();
    ~PrivateKey();
    PrivateKey(PrivateKey&&) noexcept;
    PrivateKey& operator=(PrivateKey&&) noexcept;

    static Result<PrivateKey> fromPem(const QByteArray& pem);
    static Result<PrivateKey> generate();
    QByteArray sign(const uint8_t* msg, size_t msgLen) const;
    QByteArray publicPem() const;
    QByteArray privatePem() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace chainsight::crypto
