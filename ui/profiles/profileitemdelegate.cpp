#include "profileitemdelegate.h"

#include "common/tones.h"
#include "profiles/profilelistmodel.h"
#include "redis/connectionstate.h"

#include <QApplication>
#include <QPainter>

namespace bd::ui {

using connectors::ConnectionState;
using models::ProfileListModel;

namespace {

QColor stateColor(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Connected:
        return models::toneColor(models::Tone::Success);
    case ConnectionState::Connecting:
    case ConnectionState::WaitingToReconnect:
        return models::toneColor(models::Tone::Warning);
    case ConnectionState::Failed:
        return models::toneColor(models::Tone::Error);
    case ConnectionState::Disconnected:
        break;
    }
    return models::toneColor(models::Tone::Muted);
}

void drawBadge(QPainter *p, QRect &area, const QString &text, const QColor &color)
{
    QFont f = p->font();
    f.setPointSizeF(f.pointSizeF() * 0.8);
    f.setBold(true);
    p->setFont(f);
    const int w = p->fontMetrics().horizontalAdvance(text) + 8;
    const QRect badge(area.right() - w, area.top() + 2, w, p->fontMetrics().height() + 2);
    p->setPen(Qt::NoPen);
    p->setBrush(color);
    p->drawRoundedRect(badge, 3, 3);
    p->setPen(Qt::white);
    p->drawText(badge, Qt::AlignCenter, text);
    area.setRight(badge.left() - 4);
}

} // namespace

void ProfileItemDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRect r = option.rect.adjusted(2, 2, -4, -2);
    const QString tag = index.data(ProfileListModel::ColorTagRole).toString();
    if (!tag.isEmpty())
        painter->fillRect(QRect(r.left(), r.top(), 4, r.height()), QColor(tag));

    const auto state =
        static_cast<ConnectionState>(index.data(ProfileListModel::StateRole).toInt());
    const int dot = 10;
    const QRect dotRect(r.left() + 10, r.top() + (r.height() - dot) / 2, dot, dot);
    painter->setPen(Qt::NoPen);
    painter->setBrush(stateColor(state));
    painter->drawEllipse(dotRect);

    const bool selected = option.state & QStyle::State_Selected;
    const QColor text = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    QRect textArea(dotRect.right() + 8, r.top(), r.right() - dotRect.right() - 8, r.height());
    QRect badges = textArea;
    badges.setHeight(textArea.height() / 2);
    if (index.data(ProfileListModel::TlsUnverifiedRole).toBool())
        drawBadge(painter, badges, tr("TLS UNVERIFIED"), models::toneColor(models::Tone::Error));
    if (index.data(ProfileListModel::ReadOnlyRole).toBool())
        drawBadge(painter, badges, tr("RO"), models::toneColor(models::Tone::Info));
    painter->setFont(option.font);

    QFont nameFont = option.font;
    nameFont.setBold(state == ConnectionState::Connected);
    painter->setFont(nameFont);
    painter->setPen(text);
    const QRect nameRect(textArea.left(), textArea.top(), badges.right() - textArea.left(),
                         textArea.height() / 2);
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignBottom,
                      painter->fontMetrics().elidedText(index.data(Qt::DisplayRole).toString(),
                                                        Qt::ElideRight, nameRect.width()));
    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.85);
    painter->setFont(small);
    QColor dim = text;
    dim.setAlphaF(0.7f);
    painter->setPen(dim);
    const QRect subRect(textArea.left(), textArea.top() + textArea.height() / 2, textArea.width(),
                        textArea.height() / 2);
    const QString sub = state == ConnectionState::Disconnected
                            ? index.data(ProfileListModel::EndpointRole).toString()
                            : index.data(ProfileListModel::StateTextRole).toString();
    painter->drawText(subRect, Qt::AlignLeft | Qt::AlignTop,
                      painter->fontMetrics().elidedText(sub, Qt::ElideRight, subRect.width()));
    painter->restore();
}

QSize ProfileItemDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    return QSize(200, option.fontMetrics.height() * 2 + 14);
}

} // namespace bd::ui
