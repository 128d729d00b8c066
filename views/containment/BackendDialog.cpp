// The containment backends dialog.
#include "views/containment/BackendDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace chainsight::views {

using namespace chainsight::containment;

namespace {
enum Col { Name, Kind, Url, Ca, Cred, Options, Count };
const QStringList kKinds = {QStringLiteral("oauth"), QStringLiteral("scim"),    QStringLiteral("kubernetes"),
                            QStringLiteral("vault"), QStringLiteral("gateway"), QStringLiteral("chat")};
} // namespace

BackendDialog::BackendDialog(QList<Backend> backends, ContainmentSettings settings, CredentialStore* credentials,
                             QWidget* parent)
    : QDialog(parent), m_settings(settings), m_credentials(credentials)
{
    setWindowTitle(tr("Containment backends"));
    resize(1000, 420);
    auto* layout = new QVBoxLayout(this);
    auto* note = new QLabel(tr("Secrets are kept in %1, never in the case or the settings. TLS is always verified "
                               "against the backend's own CA bundle.")
                                .arg(credentials ? credentials->describe() : tr("no credential store")));
    note->setWordWrap(true);
    layout->addWidget(note);
    m_table = new QTableWidget(0, Count, this);
    m_table->setHorizontalHeaderLabels(
        {tr("Name"), tr("Kind"), tr("Base URL (https)"), tr("CA bundle (PEM)"), tr("Credential ref"), tr("Options")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(Url, QHeaderView::Stretch);
    for (const auto& b : backends)
        addRow(b);
    layout->addWidget(m_table, 1);

    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add"), this);
    auto* remove = new QPushButton(tr("Remove"), this);
    auto* ca = new QPushButton(tr("CA bundle…"), this);
    auto* secret = new QPushButton(tr("Set secret…"), this);
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addWidget(ca);
    buttons->addWidget(secret);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(add, &QPushButton::clicked, this, [this] {
        Backend b;
        b.name = QStringLiteral("backend-%1").arg(m_table->rowCount() + 1);
        b.baseUrl = QStringLiteral("https://");
        addRow(b);
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_table->currentRow() >= 0) m_table->removeRow(m_table->currentRow());
    });
    connect(ca, &QPushButton::clicked, this, [this] {
        const int row = m_table->currentRow();
        if (row < 0) return;
        const QString f =
            QFileDialog::getOpenFileName(this, tr("CA bundle"), {}, tr("PEM (*.pem *.crt);;All files (*)"));
        if (!f.isEmpty()) m_table->setItem(row, Ca, new QTableWidgetItem(f));
    });
    connect(secret, &QPushButton::clicked, this, &BackendDialog::setSecret);

    auto* form = new QFormLayout;
    m_approval = new QCheckBox(tr("Destructive actions need a second analyst's approval"), this);
    m_approval->setChecked(settings.requireApproval);
    m_timeout = new QSpinBox(this);
    m_timeout->setRange(1, 600);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setValue(std::max(1, settings.transport.timeoutMs / 1000));
    m_attempts = new QSpinBox(this);
    m_attempts->setRange(1, 10);
    m_attempts->setValue(settings.transport.maxAttempts);
    form->addRow(m_approval);
    form->addRow(tr("Timeout per attempt"), m_timeout);
    form->addRow(tr("Attempts (with backoff)"), m_attempts);
    layout->addLayout(form);
    auto* box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(box, &QDialogButtonBox::accepted, this, &BackendDialog::accept);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(box);
}

void BackendDialog::addRow(const Backend& b)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, Name, new QTableWidgetItem(b.name));
    auto* kind = new QComboBox(m_table);
    kind->addItems(kKinds);
    kind->setCurrentText(backendKindName(b.kind));
    m_table->setCellWidget(row, Kind, kind);
    m_table->setItem(row, Url, new QTableWidgetItem(b.baseUrl));
    m_table->setItem(row, Ca, new QTableWidgetItem(b.caBundle));
    m_table->setItem(row, Cred, new QTableWidgetItem(b.credentialRef));
    m_table->setItem(row, Options, new QTableWidgetItem(b.options));
}

QList<Backend> BackendDialog::backends() const
{
    QList<Backend> out;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        auto text = [&](int col) {
            return m_table->item(row, col) ? m_table->item(row, col)->text().trimmed() : QString();
        };
        Backend b;
        b.name = text(Name);
        auto* kind = qobject_cast<QComboBox*>(m_table->cellWidget(row, Kind));
        b.kind = backendKindFromName(kind ? kind->currentText() : QString()).value_or(BackendKind::Gateway);
        b.baseUrl = text(Url);
        b.caBundle = text(Ca);
        b.credentialRef = text(Cred);
        b.options = text(Options);
        if (!b.name.isEmpty()) out << b;
    }
    return out;
}

ContainmentSettings BackendDialog::settings() const
{
    ContainmentSettings s = m_settings;
    s.requireApproval = m_approval->isChecked();
    s.transport.timeoutMs = m_timeout->value() * 1000;
    s.transport.maxAttempts = m_attempts->value();
    return s;
}

void BackendDialog::setSecret()
{
    const int row = m_table->currentRow();
    if (row < 0 || !m_credentials) return;
    const QString ref = m_table->item(row, Cred) ? m_table->item(row, Cred)->text().trimmed() : QString();
    if (ref.isEmpty()) {
        QMessageBox::information(this, windowTitle(), tr("Give the backend a credential reference first."));
        return;
    }
    bool ok = false;
    const QString secret = QInputDialog::getText(this, tr("Secret for %1").arg(ref),
                                                 tr("Stored in %1 under '%2':").arg(m_credentials->describe(), ref),
                                                 QLineEdit::Password, {}, &ok);
    if (!ok || secret.isEmpty()) return;
    const Status st = m_credentials->write(ref, secret.toUtf8());
    if (!st.ok()) QMessageBox::warning(this, windowTitle(), st.error().toString());
}

void BackendDialog::accept()
{
    for (const auto& b : backends()) {
        const QUrl u(b.baseUrl);
        if (!u.isValid() || u.scheme() != QLatin1String("https") || u.host().isEmpty()) {
            QMessageBox::warning(this, windowTitle(),
                                 tr("%1: the base URL must be https://HOST[:PORT][/PATH]").arg(b.name));
            return;
        }
    }
    QDialog::accept();
}

} // namespace chainsight::views
