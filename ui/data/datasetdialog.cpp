#include "datasetdialog.h"

#include "common/tones.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace bd::ui {

using models::Tone;
using models::toneBadgeStyleSheet;
using models::toneBannerStyleSheet;
using models::toneStyleSheet;

using connectors::DatasetDefinition;

DatasetDialog::DatasetDialog(const DatasetDefinition &definition, const QStringList &tasks,
                             QWidget *parent)
    : QDialog(parent)
    , m_original(definition)
{
    setObjectName(QStringLiteral("datasetDialog"));
    setWindowTitle(definition.name.isEmpty() ? tr("Add dataset")
                                             : tr("Edit dataset %1").arg(definition.name));
    auto *form = new QFormLayout(this);
    m_name = new QLineEdit(definition.name, this);
    m_name->setObjectName(QStringLiteral("datasetName"));
    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("datasetSource"));
    m_source->addItem(tr("A string key holding a JSON array of records"),
                      int(DatasetDefinition::Source::JsonArray));
    m_source->addItem(tr("A hash whose values are JSON records"),
                      int(DatasetDefinition::Source::JsonHash));
    m_source->addItem(tr("Keys matching a pattern, one record each"),
                      int(DatasetDefinition::Source::KeyPattern));
    m_source->setCurrentIndex(m_source->findData(int(definition.source)));
    m_key = new QLineEdit(QString::fromUtf8(definition.key), this);
    m_key->setObjectName(QStringLiteral("datasetKey"));
    m_key->setPlaceholderText(tr("employees, or employee:* for a pattern"));
    m_columns = new QLineEdit(definition.columns.join(QStringLiteral(", ")), this);
    m_columns->setObjectName(QStringLiteral("datasetColumns"));
    m_columns->setPlaceholderText(tr("shown first, comma-separated; empty: every field"));
    m_idField = new QLineEdit(definition.idField, this);
    m_idField->setObjectName(QStringLiteral("datasetIdField"));
    m_idField->setPlaceholderText(tr("matches records between reads; empty: the whole record"));
    m_refreshTask = new QComboBox(this);
    m_refreshTask->setObjectName(QStringLiteral("datasetRefreshTask"));
    m_refreshTask->setEditable(true);
    m_refreshTask->addItem(QString());
    m_refreshTask->addItems(tasks);
    m_refreshTask->setCurrentText(definition.refreshTask);
    m_channel = new QLineEdit(definition.changeChannel, this);
    m_channel->setObjectName(QStringLiteral("datasetChannel"));
    m_ttl = new QSpinBox(this);
    m_ttl->setObjectName(QStringLiteral("datasetTtl"));
    m_ttl->setRange(0, 365 * 86400);
    m_ttl->setSuffix(tr(" s"));
    m_ttl->setSpecialValueText(tr("not known"));
    m_ttl->setValue(int(qMin<qint64>(definition.expectedTtl, 365 * 86400)));
    m_description = new QLineEdit(definition.description, this);
    m_description->setObjectName(QStringLiteral("datasetDescription"));
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("datasetProblem"));
    m_problem->setStyleSheet(toneStyleSheet(Tone::Error));
    m_problem->setWordWrap(true);
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Records"), m_source);
    form->addRow(tr("Key"), m_key);
    form->addRow(tr("Columns"), m_columns);
    form->addRow(tr("Id field"), m_idField);
    form->addRow(tr("Refresh task"), m_refreshTask);
    form->addRow(tr("Change channel"), m_channel);
    form->addRow(tr("Expected TTL"), m_ttl);
    form->addRow(tr("Description"), m_description);
    form->addRow(m_problem);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &DatasetDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

DatasetDefinition DatasetDialog::definition() const
{
    DatasetDefinition d;
    d.name = m_name->text().trimmed();
    d.source = DatasetDefinition::Source(m_source->currentData().toInt());
    d.key = m_key->text().toUtf8();
    for (const QString &c : m_columns->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!c.trimmed().isEmpty())
            d.columns << c.trimmed();
    }
    d.idField = m_idField->text().trimmed();
    d.refreshTask = m_refreshTask->currentText().trimmed();
    d.changeChannel = m_channel->text().trimmed();
    d.expectedTtl = m_ttl->value();
    d.description = m_description->text();
    return d;
}

void DatasetDialog::save()
{
    const DatasetDefinition d = definition();
    const QString problem = connectors::DatasetCatalog::check(d);
    m_problem->setText(problem);
    if (!problem.isEmpty())
        return;
    Q_EMIT saveRequested(d);
    accept();
}

} // namespace bd::ui
