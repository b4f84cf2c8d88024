#include "bulkoperationdialog.h"

#include "common/confirmation.h"
#include "common/counts.h"
#include "common/tones.h"
#include "keys/keytreemodel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace bd::ui {

BulkOperationDialog::BulkOperationDialog(const QString &pattern, bool readOnly, QWidget *parent)
    : QDialog(parent)
    , m_readOnly(readOnly)
{
    setWindowTitle(tr("Bulk operation"));
    setMinimumWidth(520);
    m_pattern = new QLineEdit(pattern, this);
    m_pattern->setObjectName(QStringLiteral("bulkPattern"));
    m_action = new QComboBox(this);
    m_action->addItem(tr("Delete the keys"), int(Action::Delete));
    m_action->addItem(tr("Set their TTL"), int(Action::SetTtl));
    m_ttlSeconds = new QSpinBox(this);
    m_ttlSeconds->setRange(1, std::numeric_limits<int>::max());
    m_ttlSeconds->setValue(900);
    m_ttlSeconds->setSuffix(tr(" s"));
    m_ttlSeconds->setEnabled(false);
    m_dryRun = new QPushButton(tr("Dry run"), this);
    m_run = new QPushButton(tr("Run…"), this);
    m_run->setEnabled(false);
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setEnabled(false);
    m_result =
        new QLabel(tr("First a dry run: it counts the matching keys and changes nothing."), this);
    m_result->setObjectName(QStringLiteral("bulkResult"));
    m_result->setWordWrap(true);
    m_samples = new QListWidget(this);
    m_samples->setMaximumHeight(140);
    m_progress = new QProgressBar(this);
    m_progress->setVisible(false);

    auto *form = new QFormLayout;
    form->addRow(tr("Keys matching"), m_pattern);
    form->addRow(tr("Action"), m_action);
    form->addRow(tr("TTL"), m_ttlSeconds);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_dryRun);
    buttons->addWidget(m_run);
    buttons->addWidget(m_stop);
    buttons->addStretch(1);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_result);
    layout->addWidget(new QLabel(tr("Samples:"), this));
    layout->addWidget(m_samples);
    layout->addWidget(m_progress);
    layout->addWidget(close);
    if (m_readOnly) {
        m_result->setText(
            tr("Read-only profile: a dry run counts the keys; nothing can be changed."));
        m_action->setEnabled(false);
    }

    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_action, &QComboBox::currentIndexChanged, this, [this] {
        m_ttlSeconds->setEnabled(Action(m_action->currentData().toInt()) == Action::SetTtl);
    });
    connect(m_pattern, &QLineEdit::textChanged, this, [this] {
        // Run applies only to the pattern a dry run counted.
        m_run->setEnabled(!m_readOnly && m_checkedCount > 0
                          && m_pattern->text().toUtf8() == m_checkedPattern);
    });
    connect(m_dryRun, &QPushButton::clicked, this, [this] {
        const QByteArray pattern = m_pattern->text().trimmed().toUtf8();
        if (pattern.isEmpty()) {
            m_result->setText(tr("Give a pattern, such as user:* or session:2024-*"));
            return;
        }
        setBusy(true);
        m_samples->clear();
        m_result->setText(tr("Counting the keys matching %1…").arg(QString::fromUtf8(pattern)));
        m_checkedPattern = pattern;
        m_checkedCount = -1;
        Q_EMIT dryRunRequested(pattern);
    });
    connect(m_run, &QPushButton::clicked, this, &BulkOperationDialog::confirmAndRun);
    connect(m_stop, &QPushButton::clicked, this, &BulkOperationDialog::stopRequested);
}

QString BulkOperationDialog::resultText() const
{
    return m_result->text();
}

void BulkOperationDialog::setBusy(bool busy)
{
    m_dryRun->setEnabled(!busy);
    m_pattern->setEnabled(!busy);
    m_stop->setEnabled(busy);
    m_run->setEnabled(!busy && !m_readOnly && m_checkedCount > 0
                      && m_pattern->text().toUtf8() == m_checkedPattern);
}

void BulkOperationDialog::showDryRun(qint64 matched, const QList<QByteArray> &samples,
                                     const QString &error)
{
    m_checkedCount = error.isEmpty() ? matched : -1;
    setBusy(false);
    for (const QByteArray &s : samples)
        m_samples->addItem(models::KeyTreeModel::displayKey(s));
    m_result->setText(error.isEmpty()
                          ? tr("%n key(s) match %1.", nullptr, int(qMin<qint64>(matched, INT_MAX)))
                                .arg(QString::fromUtf8(m_checkedPattern))
                          : error);
}

void BulkOperationDialog::confirmAndRun()
{
    const auto action = Action(m_action->currentData().toInt());
    const QString pattern = QString::fromUtf8(m_checkedPattern);
    const QString count = keyCount(m_checkedCount);
    const QString question =
        action == Action::Delete
            ? tr("Delete the %1 matching \"%2\"? This cannot be undone.").arg(count, pattern)
            : tr("Set a TTL of %1 s on the %2 matching \"%3\"?")
                  .arg(m_ttlSeconds->value())
                  .arg(count, pattern);
    const QByteArray checked = m_checkedPattern;
    const qint64 ttlMs = qint64(m_ttlSeconds->value()) * 1000;
    askConfirmation(this, windowTitle(), question,
                    action == Action::Delete ? tr("Delete") : tr("Set TTL"),
                    QStringLiteral("confirmBulk"), [this, action, checked, ttlMs] {
                        setBusy(true);
                        m_run->setEnabled(false);
                        m_checkedCount = -1; // one confirmation, one run
                        m_progress->setVisible(true);
                        m_progress->setRange(0, 0);
                        m_result->setText(tr("Working…"));
                        Q_EMIT runRequested(checked, action, ttlMs);
                    });
}

void BulkOperationDialog::showProgress(qint64 matched, qint64 affected)
{
    m_result->setText(
        tr("%1 matched, %2 done…").arg(QLocale().toString(matched), QLocale().toString(affected)));
}

void BulkOperationDialog::showReport(const QString &report, bool ok)
{
    setBusy(false);
    m_progress->setVisible(false);
    m_result->setText(report);
    m_result->setStyleSheet(ok ? QString() : models::toneStyleSheet(models::Tone::Error));
}

} // namespace bd::ui
