#pragma once

#include <QMessageBox>
#include <QString>

#include <functional>

class QWidget;

namespace bd::ui {

// Asks the operator to confirm an action, window-modal and without blocking: a warning with
// Cancel and one action button (labelled with what it does); onConfirmed runs only when that
// button is chosen. The box deletes itself once answered; objectName lets tests find it.
// Returns the box, already open.
QMessageBox *askConfirmation(QWidget *parent, const QString &title, const QString &text,
                             const QString &action, const QString &objectName,
                             std::function<void()> onConfirmed,
                             QMessageBox::ButtonRole role = QMessageBox::DestructiveRole);

} // namespace bd::ui
