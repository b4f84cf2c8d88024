#pragma once

#include <QStyledItemDelegate>

namespace bd::ui {

// Paints a list of numbers (a model's history role, oldest first) as a small line graph
// scaled to its own maximum, with the current value's end marked.
class SparklineDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    SparklineDelegate(int historyRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_role;
};

} // namespace bd::ui
