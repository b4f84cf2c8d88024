#include "settingsdialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace bd::ui {

namespace {

QDoubleSpinBox *days(double value, QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setRange(0.1, 3650);
    box->setDecimals(1);
    box->setSuffix(QObject::tr(" days"));
    box->setValue(value);
    return box;
}

} // namespace

SettingsDialog::SettingsDialog(double maxAgeDays, qint64 maxTasks, double failedAgeDays,
                               QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));
    setWindowModality(Qt::WindowModal);
    setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(this);
    auto *group = new QGroupBox(tr("Task event store"), this);
    auto *form = new QFormLayout(group);
    m_age = days(maxAgeDays, group);
    m_age->setObjectName(QStringLiteral("maxAgeDays"));
    m_tasks = new QSpinBox(group);
    m_tasks->setObjectName(QStringLiteral("maxTasks"));
    m_tasks->setRange(1000, 100'000'000);
    m_tasks->setSingleStep(100'000);
    m_tasks->setGroupSeparatorShown(true);
    m_tasks->setValue(int(std::clamp<qint64>(maxTasks, 1000, 100'000'000)));
    m_failedAge = days(failedAgeDays, group);
    m_failedAge->setObjectName(QStringLiteral("failedAgeDays"));
    form->addRow(tr("Keep tasks for:"), m_age);
    form->addRow(tr("Keep at most:"), m_tasks);
    form->addRow(tr("Keep failed tasks for:"), m_failedAge);
    auto *note = new QLabel(tr("Each profile's timeline is kept on this computer. Past the "
                               "count, the oldest tasks go first, failed ones last. Applies "
                               "to the sessions open now as well."),
                            group);
    note->setWordWrap(true);
    form->addRow(note);
    layout->addWidget(group);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

double SettingsDialog::maxAgeDays() const
{
    return m_age->value();
}

qint64 SettingsDialog::maxTasks() const
{
    return m_tasks->value();
}

double SettingsDialog::failedAgeDays() const
{
    return m_failedAge->value();
}

} // namespace bd::ui
