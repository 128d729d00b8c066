// Backend configuration and containment settings in QSettings (group "containment"). No secret is ever written
// here: a backend names its credential by reference (the keychain holds the value).
#pragma once

#include "core/containment/ContainmentService.h"

#include <QSettings>

namespace chainsight::containment {

QList<Backend> loadBackends(QSettings& settings);
void saveBackends(QSettings& settings, const QList<Backend>& backends);
ContainmentSettings loadSettings(QSettings& settings);
void saveSettings(QSettings& settings, const ContainmentSettings& s);

} // namespace chainsight::containment
