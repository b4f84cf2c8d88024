#include "itemdialog.h"

#include "common/tones.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>

namespace bd::ui {

ItemDialog::ItemDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("New key"));
    build(true);
}

ItemDialog::ItemDialog(const QByteArray &key, const QByteArray &type, QWidget *parent)
    : QDialog(parent)
    , m_fixedKey(key)
    , m_fixedType(type)
{
    setWindowTitle(type == "list" ? tr("Push onto %1").arg(QString::fromUtf8(key))
                                  : tr("Add to %1").arg(QString::fromUtf8(key)));
    build(false);
}

void ItemDialog::build(bool newKey)
{
    setObjectName(newKey ? QStringLiteral("newKeyDialog") : QStringLiteral("addItemDialog"));
    auto *form = new QFormLayout;
    if (newKey) {
        m_name = new QLineEdit(this);
        m_name->setObjectName(QStringLiteral("newKeyName"));
        m_name->setPlaceholderText(tr("user:42"));
        form->addRow(tr("Name"), m_name);
        m_type = new QComboBox(this);
        m_type->setObjectName(QStringLiteral("newKeyType"));
        for (const char *t : {"string", "hash", "list", "set", "zset", "stream"})
            m_type->addItem(QString::fromLatin1(t), QByteArray(t));
        form->addRow(tr("Type"), m_type);
    }
    m_firstLabel = new QLabel(this);
    m_first = new QPlainTextEdit(this);
    m_first->setObjectName(QStringLiteral("itemFirst"));
    m_first->setTabChangesFocus(true);
    m_first->setMinimumHeight(60);
    form->addRow(m_firstLabel, m_first);
    m_secondLabel = new QLabel(this);
    m_second = new QLineEdit(this);
    m_second->setObjectName(QStringLiteral("itemSecond"));
    form->addRow(m_secondLabel, m_second);
    m_endLabel = new QLabel(tr("Where"), this);
    m_end = new QComboBox(this);
    m_end->addItem(tr("At the tail (RPUSH)"), false);
    m_end->addItem(tr("At the head (LPUSH)"), true);
    form->addRow(m_endLabel, m_end);
    if (newKey) {
        m_ttlLabel = new QLabel(tr("TTL"), this);
        m_ttl = new QSpinBox(this);
        m_ttl->setObjectName(QStringLiteral("newKeyTtl"));
        m_ttl->setRange(0, 365 * 24 * 3600);
        m_ttl->setSuffix(tr(" s"));
        m_ttl->setSpecialValueText(tr("none"));
        form->addRow(m_ttlLabel, m_ttl);
    }
    m_problem = new QLabel(this);
    m_problem->setStyleSheet(models::toneStyleSheet(models::Tone::Error));
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(newKey ? tr("Create") : tr("Add"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    if (m_type)
        connect(m_type, &QComboBox::currentIndexChanged, this, &ItemDialog::typeChanged);
    if (m_name)
        connect(m_name, &QLineEdit::textChanged, this, &ItemDialog::validate);
    connect(m_first, &QPlainTextEdit::textChanged, this, &ItemDialog::validate);
    connect(m_second, &QLineEdit::textChanged, this, &ItemDialog::validate);
    typeChanged();
}

void ItemDialog::typeChanged()
{
    const QByteArray type = m_type ? m_type->currentData().toByteArray() : m_fixedType;
    QString first, second;
    if (type == "string")
        first = tr("Value");
    else if (type == "hash")
        first = tr("Field"), second = tr("Value");
    else if (type == "list")
        first = tr("Element");
    else if (type == "set")
        first = tr("Member");
    else if (type == "zset")
        first = tr("Member"), second = tr("Score");
    else if (type == "stream")
        first = tr("Field"), second = tr("Value");
    m_firstLabel->setText(first);
    m_secondLabel->setText(second);
    m_secondLabel->setVisible(!second.isEmpty());
    m_second->setVisible(!second.isEmpty());
    const bool list = type == "list" && !m_type; // a new list has one element: no end to choose
    m_endLabel->setVisible(list);
    m_end->setVisible(list);
    validate();
}

QByteArray ItemDialog::key() const
{
    return m_name ? m_name->text().toUtf8() : m_fixedKey;
}

connectors::NewItem ItemDialog::item() const
{
    connectors::NewItem item;
    item.type = m_type ? m_type->currentData().toByteArray() : m_fixedType;
    item.first = m_first->toPlainText().toUtf8();
    if (!m_secondLabel->text().isEmpty()) // the type has a second part
        item.second = m_second->text().toUtf8();
    item.atHead = m_end->currentData().toBool();
    return item;
}

qint64 ItemDialog::ttlMs() const
{
    return m_ttl ? qint64(m_ttl->value()) * 1000 : 0;
}

QString ItemDialog::problem() const
{
    return m_problem->text();
}

void ItemDialog::validate()
{
    const QString problem =
        m_name && m_name->text().isEmpty() ? tr("The key needs a name") : item().problem();
    m_problem->setText(problem);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace bd::ui
