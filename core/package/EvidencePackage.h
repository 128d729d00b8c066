// The evidence package: one .zip with the original bundle files, a snapshot of the case database, the report,
// the custody log and a manifest of SHA-256 sums, signed with Ed25519 in a DSSE envelope over the manifest (the
// small manifest is signed, not the files). verifyPackage checks it offline and names every file that fails.
// The format is documented in docs/evidence-package.md for third-party verifiers.
#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QString>

#include <string>
#include <vector>

namespace chainsight::store {
class CaseStore;
}

namespace chainsight::package {

inline constexpr const char* kEnvelopePath = "chainsight-package.dsse.json";
inline constexpr const char* kPublicKeyPath = "signer.pub.pem";
inline constexpr const char* kPayloadType = "application/vnd.chainsight.manifest+json";
inline constexpr const char* kManifestFormat = "chainsight-evidence-package";

// DSSE v1 pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body.
std::string pae(const std::string& payloadType, const std::string& body);

struct ExtraFile
{
    std::string path; // inside the package, e.g. report/report.pdf
    std::string role; // report, legal-copy, export, ...
    QByteArray data;
};

struct PackageOptions
{
    QByteArray privateKeyPem;     // Ed25519 PKCS#8 PEM
    std::vector<ExtraFile> extra; // the report and anything else to seal with the evidence
    std::string tool;             // "chainsight 0.1.0"
};

struct PackageSummary
{
    int files = 0;
    int64_t bytes = 0;
    std::string manifestSha256, keyId, packageSha256;
};

Result<PackageSummary> writePackage(store::CaseStore& store, const QString& out, const PackageOptions& options);

struct PackageProblem
{
    std::string file, check, message; // check: signature, sha256, size, missing, unlisted, format, key
    std::string toLine() const { return file + ": " + check + ": " + message; }
};

struct PackageReport
{
    bool signatureValid = false;
    bool keyPinned = false; // verified with a key the caller gave, not the one inside the package
    std::string keyId;
    int files = 0, filesValid = 0;
    std::string createdAt, caseTitle;
    std::vector<PackageProblem> problems;
    bool intact() const { return signatureValid && problems.empty(); }
};

// Is this a .zip holding a package envelope (and so not an evidence bundle)?
bool isPackage(const QString& path);
// trustedKeyPem: the signer's public key when the verifier has it; otherwise the key in the package is used
// (which proves the files match the manifest, not who signed it). Errors only for a file that cannot be read.
Result<PackageReport> verifyPackage(const QString& path, const QByteArray& trustedKeyPem = {});

} // namespace chainsight::package
