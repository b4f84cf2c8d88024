#pragma once

#include <QStyledItemDelegate>

namespace bd::ui {

// Paints a sidebar row: colour-tag stripe, connection-state dot, name, endpoint, and badges
// for read-only and unverified TLS. Fixed height.
class ProfileItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace bd::ui
