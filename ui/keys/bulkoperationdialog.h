#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace bd::ui {

// Delete, or set the TTL of, every key matching a pattern. Safe by construction: a dry run of
// the exact pattern comes first (count and samples), Run stays disabled until then and is
// disabled again if the pattern changes; Run asks for confirmation naming the pattern and the
// count; the job reports progress, can be stopped, and ends with a report. The dialog only
// asks (signals); the app runs the job on the long-jobs connection.
class BulkOperationDialog : public QDialog
{
    Q_OBJECT

public:
    explicit BulkOperationDialog(const QString &pattern, bool readOnly, QWidget *parent = nullptr);

    enum class Action { Delete, SetTtl };

    void showDryRun(qint64 matched, const QList<QByteArray> &samples, const QString &error);
    void showProgress(qint64 matched, qint64 affected);
    void showReport(const QString &report, bool ok);

    QLineEdit *patternEdit() const { return m_pattern; }
    QPushButton *dryRunButton() const { return m_dryRun; }
    QPushButton *runButton() const { return m_run; }
    QString resultText() const;

Q_SIGNALS:
    void dryRunRequested(const QByteArray &pattern);
    // Confirmed by the operator for exactly this pattern.
    void runRequested(const QByteArray &pattern, bd::ui::BulkOperationDialog::Action action,
                      qint64 ttlMs);
    void stopRequested();

private:
    void confirmAndRun();
    void setBusy(bool busy);

    bool m_readOnly = false;
    QByteArray m_checkedPattern; // the pattern the last dry run counted
    qint64 m_checkedCount = -1;
    QLineEdit *m_pattern = nullptr;
    QComboBox *m_action = nullptr;
    QSpinBox *m_ttlSeconds = nullptr;
    QPushButton *m_dryRun = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_result = nullptr;
    QListWidget *m_samples = nullptr;
    QProgressBar *m_progress = nullptr;
};

} // namespace bd::ui

Q_DECLARE_METATYPE(bd::ui::BulkOperationDialog::Action)
