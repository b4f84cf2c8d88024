#include "runtaskdialog.h"

#include "codec/untrustedjson.h"
#include "common/tones.h"

#include <QComboBox>
#include <QCompleter>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStringListModel>
#include <QUuid>
#include <QVBoxLayout>

#include <algorithm>

namespace bd::ui {

namespace {

QLabel *errorLabel(QWidget *parent, const char *name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QString::fromLatin1(name));
    label->setStyleSheet(models::toneStyleSheet(models::Tone::Error));
    label->setWordWrap(true);
    label->hide();
    return label;
}

QPlainTextEdit *jsonEdit(QWidget *parent, const char *name, const QString &text)
{
    auto *edit = new QPlainTextEdit(text, parent);
    edit->setObjectName(QString::fromLatin1(name));
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setTabChangesFocus(true);
    edit->setFixedHeight(edit->fontMetrics().lineSpacing() * 4 + 12);
    return edit;
}

void showError(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

} // namespace

RunTaskDialog::RunTaskDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("runTaskDialog"));
    setWindowTitle(tr("Run task"));
    m_form.id = QUuid::createUuid().toString(QUuid::WithoutBraces);

    m_task = new QLineEdit(this);
    m_task->setObjectName(QStringLiteral("runTaskName"));
    m_task->setPlaceholderText(
        tr("registered task name, e.g. tasks.celery_tasks.fetch_and_store_employee_data"));
    m_names = new QStringListModel(this);
    auto *completer = new QCompleter(m_names, this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    m_task->setCompleter(completer);
    m_description = new QLabel(this);
    m_description->setObjectName(QStringLiteral("runTaskDescription"));
    m_description->setWordWrap(true);
    m_description->setStyleSheet(QStringLiteral("color: palette(mid)"));

    m_args = jsonEdit(this, "runTaskArgs", QStringLiteral("[]"));
    m_argsError = errorLabel(this, "runTaskArgsError");
    m_kwargs = jsonEdit(this, "runTaskKwargs", QStringLiteral("{}"));
    m_kwargsError = errorLabel(this, "runTaskKwargsError");

    m_queue = new QComboBox(this);
    m_queue->setObjectName(QStringLiteral("runTaskQueue"));
    m_queue->setEditable(true);
    m_queue->addItem(QStringLiteral("celery"));
    m_priority = new QSpinBox(this);
    m_priority->setObjectName(QStringLiteral("runTaskPriority"));
    m_priority->setRange(0, 9);
    m_priority->setToolTip(
        tr("On Redis a lower number runs first: 0-2, 3-5, 6-8 and 9 are its four lists"));

    m_when = new QComboBox(this);
    m_when->setObjectName(QStringLiteral("runTaskWhen"));
    m_when->addItems({tr("Now"), tr("After a countdown"), tr("At a time (ETA)")});
    m_countdown = new QDoubleSpinBox(this);
    m_countdown->setObjectName(QStringLiteral("runTaskCountdown"));
    m_countdown->setRange(0, 365.0 * 24 * 3600);
    m_countdown->setDecimals(1);
    m_countdown->setSuffix(tr(" s"));
    m_countdown->setValue(60);
    m_eta = new QDateTimeEdit(QDateTime::currentDateTime().addSecs(300), this);
    m_eta->setObjectName(QStringLiteral("runTaskEta"));
    m_eta->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    m_eta->setCalendarPopup(true);
    auto *whenRow = new QHBoxLayout;
    whenRow->addWidget(m_when);
    whenRow->addWidget(m_countdown);
    whenRow->addWidget(m_eta, 1);
    m_expires = new QDoubleSpinBox(this);
    m_expires->setObjectName(QStringLiteral("runTaskExpires"));
    m_expires->setRange(0, 365.0 * 24 * 3600);
    m_expires->setDecimals(1);
    m_expires->setSuffix(tr(" s after sending"));
    m_expires->setSpecialValueText(tr("never"));

    m_preview = new QPlainTextEdit(this);
    m_preview->setObjectName(QStringLiteral("runTaskPreview"));
    m_preview->setReadOnly(true);
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_problem = errorLabel(this, "runTaskProblem");
    auto *idLabel = new QLabel(tr("Task id %1").arg(m_form.id), this);
    idLabel->setObjectName(QStringLiteral("runTaskId"));
    idLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    form->addRow(tr("Task"), m_task);
    form->addRow(QString(), m_description);
    form->addRow(tr("Args"), m_args);
    form->addRow(QString(), m_argsError);
    form->addRow(tr("Kwargs"), m_kwargs);
    form->addRow(QString(), m_kwargsError);
    form->addRow(tr("Queue"), m_queue);
    form->addRow(tr("Priority"), m_priority);
    form->addRow(tr("When"), whenRow);
    form->addRow(tr("Expires"), m_expires);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_send = buttons->addButton(tr("&Send"), QDialogButtonBox::AcceptRole);
    m_send->setObjectName(QStringLiteral("runTaskSend"));
    m_send->setDefault(false);
    m_send->setAutoDefault(false); // Return in a field never sends
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_send, &QPushButton::clicked, this, &RunTaskDialog::send);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("The message, exactly as it will be pushed:"), this));
    layout->addWidget(m_preview, 1);
    layout->addWidget(idLabel);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    resize(760, 640);

    connect(m_task, &QLineEdit::textChanged, this, &RunTaskDialog::redraft);
    connect(completer, qOverload<const QString &>(&QCompleter::activated), this,
            &RunTaskDialog::chooseTask);
    connect(m_args, &QPlainTextEdit::textChanged, this, &RunTaskDialog::redraft);
    connect(m_kwargs, &QPlainTextEdit::textChanged, this, &RunTaskDialog::redraft);
    connect(m_queue, &QComboBox::currentTextChanged, this, &RunTaskDialog::redraft);
    connect(m_priority, &QSpinBox::valueChanged, this, &RunTaskDialog::redraft);
    connect(m_when, &QComboBox::currentIndexChanged, this, [this] {
        m_countdown->setVisible(m_when->currentIndex() == 1);
        m_eta->setVisible(m_when->currentIndex() == 2);
        redraft();
    });
    connect(m_countdown, &QDoubleSpinBox::valueChanged, this, &RunTaskDialog::redraft);
    connect(m_eta, &QDateTimeEdit::dateTimeChanged, this, &RunTaskDialog::redraft);
    connect(m_expires, &QDoubleSpinBox::valueChanged, this, &RunTaskDialog::redraft);
    m_countdown->hide();
    m_eta->hide();
    redraft();
}

void RunTaskDialog::setCatalog(const QList<connectors::CatalogTask> &catalog,
                               const QStringList &seenNames)
{
    m_catalog = catalog;
    QStringList names;
    for (const connectors::CatalogTask &t : catalog)
        names << t.name;
    for (const QString &name : seenNames) {
        if (!names.contains(name))
            names << name;
    }
    m_names->setStringList(names);
    redraft();
}

void RunTaskDialog::setQueues(const QStringList &queues)
{
    const QString current = m_queue->currentText();
    m_queue->clear();
    m_queue->addItems(queues.isEmpty() ? QStringList{QStringLiteral("celery")} : queues);
    m_queue->setCurrentText(current);
}

void RunTaskDialog::setQueue(const QString &queue)
{
    m_queue->setCurrentText(queue);
}

void RunTaskDialog::setKeyPrefix(const QByteArray &prefix)
{
    m_keyPrefix = prefix;
    redraft();
}

void RunTaskDialog::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    updateSend();
}

void RunTaskDialog::chooseTask(const QString &name)
{
    const auto it =
        std::find_if(m_catalog.cbegin(), m_catalog.cend(),
                     [&name](const connectors::CatalogTask &t) { return t.name == name; });
    if (m_task->text() != name)
        m_task->setText(name);
    if (it == m_catalog.cend())
        return;
    m_args->setPlainText(connectors::jsonToText(it->args));
    m_kwargs->setPlainText(connectors::jsonToText(it->kwargs));
    m_queue->setCurrentText(it->queue);
    redraft();
}

models::TaskForm RunTaskDialog::form() const
{
    models::TaskForm f = m_form;
    f.task = m_task->text();
    f.args = m_args->toPlainText();
    f.kwargs = m_kwargs->toPlainText();
    f.queue = m_queue->currentText();
    f.priority = m_priority->value();
    f.when = m_when->currentIndex() == 1   ? models::TaskForm::When::Countdown
             : m_when->currentIndex() == 2 ? models::TaskForm::When::Eta
                                           : models::TaskForm::When::Now;
    f.countdownS = m_countdown->value();
    f.eta = m_eta->dateTime(); // local time: its offset goes into the message
    f.expiresS = m_expires->value();
    return f;
}

void RunTaskDialog::redraft()
{
    m_draft = models::draftTask(form(), m_keyPrefix, QDateTime::currentDateTimeUtc());
    const auto known = std::find_if(
        m_catalog.cbegin(), m_catalog.cend(),
        [this](const connectors::CatalogTask &t) { return t.name == m_task->text().trimmed(); });
    const QString name = m_task->text().trimmed();
    if (known != m_catalog.cend())
        m_description->setText(known->description);
    else if (!name.isEmpty() && !m_names->stringList().contains(name))
        m_description->setText(
            tr("Not in the catalog and not seen in a queue: a worker that does not register this "
               "name drops the message (\"Received unregistered task\") and it stays PENDING."));
    else
        m_description->clear();
    m_description->setVisible(!m_description->text().isEmpty());
    showError(m_argsError,
              m_draft.argsError.isEmpty() ? QString() : tr("Args: %1").arg(m_draft.argsError));
    showError(m_kwargsError, m_draft.kwargsError.isEmpty()
                                 ? QString()
                                 : tr("Kwargs: %1").arg(m_draft.kwargsError));
    if (!m_sending && !m_blocked)
        showError(m_problem,
                  m_draft.error.isEmpty() ? QString() : tr("Cannot send: %1").arg(m_draft.error));
    m_preview->setPlainText(m_draft.ok() ? m_draft.preview : QString());
    updateSend();
}

void RunTaskDialog::updateSend()
{
    m_send->setEnabled(m_draft.ok() && !m_readOnly && !m_sending && !m_blocked);
    m_send->setToolTip(m_readOnly ? tr("Read-only profile: no task can be sent") : QString());
}

void RunTaskDialog::send()
{
    if (m_sending || m_blocked)
        return;
    redraft(); // countdown and expiry count from now
    if (!m_draft.ok() || m_readOnly)
        return;
    m_sending = true;
    updateSend();
    showError(m_problem, QString());
    Q_EMIT sendRequested(m_draft);
}

void RunTaskDialog::sendFinished(bool sent, const QString &problem, bool mayHaveArrived)
{
    m_sending = false;
    if (sent) {
        accept();
        return;
    }
    m_blocked = mayHaveArrived;
    showError(m_problem,
              mayHaveArrived
                  ? tr("%1. The message may have reached the broker: look for task %2 in queue %3 "
                       "before sending it again from a new dialog.")
                        .arg(problem, m_form.id, m_draft.request.queue)
                  : tr("Not sent: %1").arg(problem));
    updateSend();
}

} // namespace bd::ui
