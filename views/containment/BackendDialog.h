// Settings → Containment backends: name, kind, base URL, CA bundle, credential reference and options per backend,
// the approval requirement and transport limits. The secret of a backend is typed here and goes straight to the
// credential store (the system keychain); it is never shown again nor written to the settings.
#pragma once

#include "core/containment/BackendSettings.h"

#include <QDialog>

class QTableWidget;
class QCheckBox;
class QSpinBox;

namespace chainsight::views {

class BackendDialog : public QDialog
{
    Q_OBJECT
public:
    BackendDialog(QList<containment::Backend> backends, containment::ContainmentSettings settings,
                  containment::CredentialStore* credentials, QWidget* parent = nullptr);
    QList<containment::Backend> backends() const;
    containment::ContainmentSettings settings() const;

private:
    void addRow(const containment::Backend& b);
    void setSecret();
    void accept() override;

    QTableWidget* m_table;
    QCheckBox* m_approval;
    QSpinBox* m_timeout;
    QSpinBox* m_attempts;
    containment::ContainmentSettings m_settings;
    containment::CredentialStore* m_credentials;
};

} // namespace chainsight::views
