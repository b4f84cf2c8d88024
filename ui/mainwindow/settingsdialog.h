#pragma once

#include <QDialog>

class QDoubleSpinBox;
class QSpinBox;

namespace bd::ui {

// Brokerdesk's settings: how long the task event store keeps tasks (days, and a count),
// failed ones longer. Window-modal, not blocking (open()); accepted() with the values.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    SettingsDialog(double maxAgeDays, qint64 maxTasks, double failedAgeDays,
                   QWidget *parent = nullptr);

    double maxAgeDays() const;
    qint64 maxTasks() const;
    double failedAgeDays() const;

private:
    QDoubleSpinBox *m_age = nullptr;
    QSpinBox *m_tasks = nullptr;
    QDoubleSpinBox *m_failedAge = nullptr;
};

} // namespace bd::ui
