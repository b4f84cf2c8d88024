#pragma once

#include "data/datasetcatalog.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace bd::ui {

// Adds or edits a dataset definition: where the records are, columns, id field, refresh task
// (from the task catalog, or typed), change channel, expected TTL. Says what is missing
// before it lets the operator save.
class DatasetDialog : public QDialog
{
    Q_OBJECT

public:
    DatasetDialog(const connectors::DatasetDefinition &definition, const QStringList &tasks,
                  QWidget *parent = nullptr);

    connectors::DatasetDefinition definition() const;

Q_SIGNALS:
    void saveRequested(const bd::connectors::DatasetDefinition &definition);

private:
    void save();

    connectors::DatasetDefinition m_original;
    QLineEdit *m_name = nullptr;
    QComboBox *m_source = nullptr;
    QLineEdit *m_key = nullptr;
    QLineEdit *m_columns = nullptr;
    QLineEdit *m_idField = nullptr;
    QComboBox *m_refreshTask = nullptr;
    QLineEdit *m_channel = nullptr;
    QSpinBox *m_ttl = nullptr;
    QLineEdit *m_description = nullptr;
    QLabel *m_problem = nullptr;
};

} // namespace bd::ui
