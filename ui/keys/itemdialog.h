#pragma once

#include "redis/keydetails.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace bd::ui {

// Asks for a new key (name, type, first item, TTL) or for an item to add to an existing key
// of a known type. OK stays disabled until what is typed can be written (a zset score is a
// number, a hash field has a name, a new key has a name).
class ItemDialog : public QDialog
{
    Q_OBJECT

public:
    // New key: type chosen in the dialog.
    explicit ItemDialog(QWidget *parent = nullptr);
    // An item for `key` of `type`.
    ItemDialog(const QByteArray &key, const QByteArray &type, QWidget *parent = nullptr);

    QByteArray key() const;
    connectors::NewItem item() const;
    qint64 ttlMs() const; // 0: no TTL

    // Test access.
    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *typeBox() const { return m_type; }
    QPlainTextEdit *firstEdit() const { return m_first; }
    QLineEdit *secondEdit() const { return m_second; }
    QSpinBox *ttlBox() const { return m_ttl; }
    QComboBox *endBox() const { return m_end; }
    QString problem() const;

private:
    void build(bool newKey);
    void typeChanged();
    void validate();

    QLineEdit *m_name = nullptr;
    QComboBox *m_type = nullptr;
    QLabel *m_firstLabel = nullptr;
    QPlainTextEdit *m_first = nullptr;
    QLabel *m_secondLabel = nullptr;
    QLineEdit *m_second = nullptr;
    QLabel *m_endLabel = nullptr;
    QComboBox *m_end = nullptr;
    QLabel *m_ttlLabel = nullptr;
    QSpinBox *m_ttl = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QByteArray m_fixedKey;
    QByteArray m_fixedType;
};

} // namespace bd::ui
