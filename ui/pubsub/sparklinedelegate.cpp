#include "sparklinedelegate.h"

#include <QPainter>
#include <QPainterPath>

namespace bd::ui {

SparklineDelegate::SparklineDelegate(int historyRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_role(historyRole)
{}

void SparklineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const
{
    QStyledItemDelegate::paint(painter, option, QModelIndex()); // background and selection only
    const QList<qreal> points = index.data(m_role).value<QList<qreal>>();
    if (points.size() < 2)
        return;
    qreal top = 0;
    for (qreal p : points)
        top = qMax(top, p);
    const QRectF area = QRectF(option.rect).adjusted(3, 3, -3, -3);
    if (top <= 0 || area.width() < 4) {
        painter->save();
        painter->setPen(option.palette.color(QPalette::Disabled, QPalette::Text));
        painter->drawLine(QPointF(area.left(), area.bottom()),
                          QPointF(area.right(), area.bottom()));
        painter->restore();
        return;
    }
    QPainterPath path;
    const qreal step = area.width() / (points.size() - 1);
    for (qsizetype i = 0; i < points.size(); ++i) {
        const QPointF at(area.left() + step * qreal(i),
                         area.bottom() - area.height() * points[i] / top);
        if (i == 0)
            path.moveTo(at);
        else
            path.lineTo(at);
    }
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const bool selected = option.state & QStyle::State_Selected;
    painter->setPen(QPen(
        option.palette.color(selected ? QPalette::HighlightedText : QPalette::Highlight), 1.2));
    painter->drawPath(path);
    painter->restore();
}

QSize SparklineDelegate::sizeHint(const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    return QSize(90, QStyledItemDelegate::sizeHint(option, index).height());
}

} // namespace bd::ui
