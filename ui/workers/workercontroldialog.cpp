#include "workercontroldialog.h"

#include "common/tones.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace bd::ui {

namespace {

QComboBox *editableCombo(const QStringList &items, QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    combo->setEditable(true);
    combo->addItems(items);
    combo->setInsertPolicy(QComboBox::NoInsert);
    return combo;
}

QSpinBox *spin(int minimum, int value, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(minimum, 10000);
    box->setValue(value);
    return box;
}

QDoubleSpinBox *seconds(QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setRange(0, 7 * 24 * 3600);
    box->setDecimals(1);
    box->setSuffix(QObject::tr(" s"));
    box->setSpecialValueText(QObject::tr("none"));
    return box;
}

QString text(QWidget *field)
{
    if (auto *combo = qobject_cast<QComboBox *>(field))
        return combo->currentText().trimmed();
    if (auto *line = qobject_cast<QLineEdit *>(field))
        return line->text().trimmed();
    return {};
}

} // namespace

QList<std::pair<QString, QString>> WorkerControlDialog::methods()
{
    return {{QStringLiteral("pool_grow"), tr("Grow pool…")},
            {QStringLiteral("pool_shrink"), tr("Shrink pool…")},
            {QStringLiteral("autoscale"), tr("Autoscale…")},
            {QStringLiteral("add_consumer"), tr("Add consumer…")},
            {QStringLiteral("cancel_consumer"), tr("Cancel consumer…")},
            {QStringLiteral("rate_limit"), tr("Rate limit…")},
            {QStringLiteral("time_limit"), tr("Time limit…")},
            {QStringLiteral("enable_events"), tr("Enable events")},
            {QStringLiteral("disable_events"), tr("Disable events")},
            {QStringLiteral("shutdown"), tr("Shut down…")}};
}

QString WorkerControlDialog::label(const QString &method)
{
    for (const auto &[name, text] : methods()) {
        if (name == method)
            return QString(text).remove(QStringLiteral("…"));
    }
    return method;
}

WorkerControlDialog::WorkerControlDialog(const QString &method, const QStringList &workers,
                                         const QStringList &knownTasks,
                                         const QStringList &knownQueues, QWidget *parent)
    : QDialog(parent)
    , m_method(method)
    , m_workers(workers)
{
    setObjectName(QStringLiteral("workerControlDialog"));
    setWindowTitle(label(method));
    setWindowModality(Qt::WindowModal);
    setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(this);
    auto *who =
        new QLabel(workers.size() == 1 ? tr("Worker: %1").arg(workers.first())
                                       : tr("Workers: %1").arg(workers.join(QLatin1String(", "))),
                   this);
    who->setWordWrap(true);
    layout->addWidget(who);
    m_form = new QFormLayout;
    layout->addLayout(m_form);
    const auto add = [this](const QString &key, const QString &labelText, QWidget *field) {
        field->setObjectName(key);
        m_fields.insert(key, field);
        m_form->addRow(labelText, field);
    };
    if (method == QLatin1String("pool_grow") || method == QLatin1String("pool_shrink")) {
        add(QStringLiteral("n"), tr("Processes:"), spin(1, 1, this));
    } else if (method == QLatin1String("autoscale")) {
        add(QStringLiteral("max"), tr("At most:"), spin(1, 10, this));
        add(QStringLiteral("min"), tr("At least:"), spin(0, 1, this));
    } else if (method == QLatin1String("add_consumer")
               || method == QLatin1String("cancel_consumer")) {
        add(QStringLiteral("queue"), tr("Queue:"), editableCombo(knownQueues, this));
    } else if (method == QLatin1String("rate_limit")) {
        add(QStringLiteral("task_name"), tr("Task:"), editableCombo(knownTasks, this));
        auto *rate = new QLineEdit(this);
        rate->setPlaceholderText(tr("10/m, 2/s, 100/h; empty for no limit"));
        add(QStringLiteral("rate_limit"), tr("Rate:"), rate);
    } else if (method == QLatin1String("time_limit")) {
        add(QStringLiteral("task_name"), tr("Task:"), editableCombo(knownTasks, this));
        add(QStringLiteral("soft"), tr("Soft limit:"), seconds(this));
        add(QStringLiteral("hard"), tr("Hard limit:"), seconds(this));
    } else if (method == QLatin1String("shutdown")) {
        auto *typed = new QLineEdit(this);
        typed->setPlaceholderText(workers.value(0));
        add(QStringLiteral("confirm"), tr("Type the worker's name to shut it down:"), typed);
    }
    m_problem = new QLabel(this);
    m_problem->setStyleSheet(models::toneStyleSheet(models::Tone::Error));
    m_problem->setWordWrap(true);
    layout->addWidget(m_problem);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(label(method));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
    for (QWidget *field : std::as_const(m_fields)) {
        if (auto *line = qobject_cast<QLineEdit *>(field))
            connect(line, &QLineEdit::textChanged, this, &WorkerControlDialog::validate);
        else if (auto *combo = qobject_cast<QComboBox *>(field))
            connect(combo, &QComboBox::currentTextChanged, this, &WorkerControlDialog::validate);
        else if (auto *box = qobject_cast<QSpinBox *>(field))
            connect(box, &QSpinBox::valueChanged, this, &WorkerControlDialog::validate);
        else if (auto *box = qobject_cast<QDoubleSpinBox *>(field))
            connect(box, &QDoubleSpinBox::valueChanged, this, &WorkerControlDialog::validate);
    }
    validate();
}

void WorkerControlDialog::validate()
{
    QString problem;
    if (m_fields.contains(QStringLiteral("task_name"))
        && text(m_fields[QStringLiteral("task_name")]).isEmpty())
        problem = tr("Name the task.");
    if (m_fields.contains(QStringLiteral("queue"))
        && text(m_fields[QStringLiteral("queue")]).isEmpty())
        problem = tr("Name the queue.");
    if (auto *rate = qobject_cast<QLineEdit *>(m_fields.value(QStringLiteral("rate_limit")))) {
        static const QRegularExpression valid(QStringLiteral("^(\\d+(\\.\\d+)?(/[smh])?)?$"));
        if (!valid.match(rate->text().trimmed()).hasMatch())
            problem = tr("A rate is a number of tasks, optionally per second, minute or hour: "
                         "10/m.");
    }
    if (auto *max = qobject_cast<QSpinBox *>(m_fields.value(QStringLiteral("max")))) {
        if (max->value() < qobject_cast<QSpinBox *>(m_fields.value(QStringLiteral("min")))->value())
            problem = tr("At most must not be less than at least.");
    }
    if (auto *soft = qobject_cast<QDoubleSpinBox *>(m_fields.value(QStringLiteral("soft")))) {
        const double hard =
            qobject_cast<QDoubleSpinBox *>(m_fields.value(QStringLiteral("hard")))->value();
        if (hard > 0 && soft->value() > hard)
            problem = tr("The soft limit must come before the hard one.");
    }
    if (auto *typed = qobject_cast<QLineEdit *>(m_fields.value(QStringLiteral("confirm")))) {
        if (typed->text() != m_workers.value(0))
            problem = tr("Type %1 exactly.").arg(m_workers.value(0));
    }
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

QVariantMap WorkerControlDialog::arguments() const
{
    QVariantMap args;
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        if (it.key() == QLatin1String("confirm"))
            continue;
        if (auto *box = qobject_cast<QSpinBox *>(it.value()))
            args.insert(it.key(), box->value());
        else if (auto *box = qobject_cast<QDoubleSpinBox *>(it.value()))
            args.insert(it.key(), box->value() > 0 ? QVariant(box->value()) : QVariant());
        else
            args.insert(it.key(), text(it.value()));
    }
    if (m_method == QLatin1String("add_consumer")) {
        // The queue's own exchange and routing key, as `celery control add_consumer` does.
        args.insert(QStringLiteral("exchange"), args.value(QStringLiteral("queue")));
        args.insert(QStringLiteral("routing_key"), args.value(QStringLiteral("queue")));
        args.insert(QStringLiteral("exchange_type"), QStringLiteral("direct"));
    }
    if (m_method == QLatin1String("rate_limit")
        && args.value(QStringLiteral("rate_limit")).toString().isEmpty())
        args.insert(QStringLiteral("rate_limit"), QVariant()); // no limit
    return args;
}

QString WorkerControlDialog::valuesText() const
{
    const QVariantMap a = arguments();
    if (m_method == QLatin1String("pool_grow") || m_method == QLatin1String("pool_shrink"))
        return tr("%n process(es)", nullptr, a.value(QStringLiteral("n")).toInt());
    if (m_method == QLatin1String("autoscale"))
        return tr("at most %1, at least %2")
            .arg(a.value(QStringLiteral("max")).toInt())
            .arg(a.value(QStringLiteral("min")).toInt());
    if (m_method == QLatin1String("add_consumer") || m_method == QLatin1String("cancel_consumer"))
        return tr("queue %1").arg(a.value(QStringLiteral("queue")).toString());
    if (m_method == QLatin1String("rate_limit")) {
        const QString rate = a.value(QStringLiteral("rate_limit")).toString();
        return tr("%1: %2").arg(a.value(QStringLiteral("task_name")).toString(),
                                rate.isEmpty() ? tr("no limit") : rate);
    }
    if (m_method == QLatin1String("time_limit")) {
        const auto limit = [&](const char *key) {
            const QVariant v = a.value(QLatin1String(key));
            return v.isNull() ? tr("none") : tr("%1 s").arg(v.toDouble());
        };
        return tr("%1: soft %2, hard %3")
            .arg(a.value(QStringLiteral("task_name")).toString(), limit("soft"), limit("hard"));
    }
    return {};
}

} // namespace bd::ui
