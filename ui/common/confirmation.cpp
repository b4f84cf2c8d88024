#include "confirmation.h"

#include <QPushButton>

namespace bd::ui {

QMessageBox *askConfirmation(QWidget *parent, const QString &title, const QString &text,
                             const QString &action, const QString &objectName,
                             std::function<void()> onConfirmed, QMessageBox::ButtonRole role)
{
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Cancel, parent);
    box->setObjectName(objectName);
    QPushButton *confirm = box->addButton(action, role);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::buttonClicked, box,
                     [confirm, onConfirmed = std::move(onConfirmed)](QAbstractButton *button) {
                         if (button == confirm)
                             onConfirmed();
                     });
    box->open();
    return box;
}

} // namespace bd::ui
