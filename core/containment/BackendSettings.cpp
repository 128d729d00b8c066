// Backends and containment settings in QSettings.
#include "core/containment/BackendSettings.h"

#include <algorithm>

namespace chainsight::containment {

QList<Backend> loadBackends(QSettings& s)
{
    QList<Backend> out;
    const int n = s.beginReadArray(QStringLiteral("containment/backends"));
    for (int i = 0; i < n; ++i) {
        s.setArrayIndex(i);
        Backend b;
        b.name = s.value(QStringLiteral("name")).toString();
        auto kind = backendKindFromName(s.value(QStringLiteral("kind")).toString());
        if (b.name.isEmpty() || !kind) continue;
        b.kind = *kind;
        b.baseUrl = s.value(QStringLiteral("url")).toString();
        b.caBundle = s.value(QStringLiteral("ca_bundle")).toString();
        b.credentialRef = s.value(QStringLiteral("credential")).toString();
        b.options = s.value(QStringLiteral("options")).toString();
        out.append(b);
    }
    s.endArray();
    return out;
}

void saveBackends(QSettings& s, const QList<Backend>& backends)
{
    s.remove(QStringLiteral("containment/backends"));
    s.beginWriteArray(QStringLiteral("containment/backends"), static_cast<int>(backends.size()));
    for (int i = 0; i < backends.size(); ++i) {
        s.setArrayIndex(i);
        const auto& b = backends[i];
        s.setValue(QStringLiteral("name"), b.name);
        s.setValue(QStringLiteral("kind"), backendKindName(b.kind));
        s.setValue(QStringLiteral("url"), b.baseUrl);
        s.setValue(QStringLiteral("ca_bundle"), b.caBundle);
        s.setValue(QStringLiteral("credential"), b.credentialRef);
        s.setValue(QStringLiteral("options"), b.options);
    }
    s.endArray();
}

ContainmentSettings loadSettings(QSettings& s)
{
    ContainmentSettings c;
    c.requireApproval = s.value(QStringLiteral("containment/require_approval"), true).toBool();
    c.transport.timeoutMs = std::clamp(s.value(QStringLiteral("containment/timeout_ms"), 15000).toInt(), 100, 600000);
    c.transport.maxAttempts = std::clamp(s.value(QStringLiteral("containment/attempts"), 4).toInt(), 1, 10);
    c.transport.backoffMs = std::clamp(s.value(QStringLiteral("containment/backoff_ms"), 500).toInt(), 0, 60000);
    return c;
}

void saveSettings(QSettings& s, const ContainmentSettings& c)
{
    s.setValue(QStringLiteral("containment/require_approval"), c.requireApproval);
    s.setValue(QStringLiteral("containment/timeout_ms"), c.transport.timeoutMs);
    s.setValue(QStringLiteral("containment/attempts"), c.transport.maxAttempts);
    s.setValue(QStringLiteral("containment/backoff_ms"), c.transport.backoffMs);
}

} // namespace chainsight::containment
