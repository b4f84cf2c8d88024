#include "taskrunsmodel.h"

#include "celery/jsonfields.h"
#include "codec/untrustedjson.h"
#include "common/tones.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

namespace bd::models {

namespace {

QString resultSummary(const connectors::CeleryTaskResult &r)
{
    if (!r.error.isEmpty())
        return r.error;
    if (r.result.is_object()
        && (r.status == QLatin1String("FAILURE") || r.status == QLatin1String("RETRY")
            || r.status == QLatin1String("REVOKED"))) {
        const QString type = connectors::jsonText(r.result, "exc_type");
        // Celery 5 stores the exception's args: ["no report for shift 7"].
        QString message;
        const auto it = r.result.find("exc_message");
        if (it != r.result.end() && it->is_array()) {
            QStringList parts;
            for (const nlohmann::json &arg : *it)
                parts << (arg.is_string() ? QString::fromStdString(arg.get<std::string>())
                                          : connectors::jsonToText(arg));
            message = parts.join(QLatin1String(", "));
        } else {
            message = connectors::jsonText(r.result, "exc_message");
        }
        if (!type.isEmpty())
            return message.isEmpty() ? type : QStringLiteral("%1: %2").arg(type, message);
    }
    if (r.status == QLatin1String("SUCCESS") || !r.result.is_null())
        return connectors::jsonToText(r.result);
    return {};
}

QColor statusColor(const QString &status)
{
    if (status == QLatin1String("SUCCESS"))
        return toneColor(Tone::Success);
    if (status == QLatin1String("FAILURE") || status == QLatin1String("REVOKED")
        || status == QLatin1String("NOT SENT"))
        return toneColor(Tone::Error);
    if (status == QLatin1String("STARTED") || status == QLatin1String("RETRY"))
        return toneColor(Tone::Info);
    return {};
}

} // namespace

TaskRunsModel::TaskRunsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void TaskRunsModel::addRun(const TaskRun &run)
{
    beginInsertRows({}, 0, 0);
    m_runs.prepend(run);
    endInsertRows();
    // Beyond the bound, the oldest finished runs go (a run still followed stays).
    for (int row = int(m_runs.size()) - 1; row >= 0 && m_runs.size() > kMaxRuns; --row) {
        if (!m_runs.at(row).final)
            continue;
        beginRemoveRows({}, row, row);
        m_runs.removeAt(row);
        endRemoveRows();
    }
}

void TaskRunsModel::setSent(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0 || m_runs[row].status != QLatin1String("SENDING"))
        return; // the backend may have answered first
    m_runs[row].status = QStringLiteral("PENDING");
    changed(row);
}

void TaskRunsModel::setNotSent(const QString &id, const QString &problem)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    m_runs[row].status = QStringLiteral("NOT SENT");
    m_runs[row].problem = problem;
    m_runs[row].summary = problem;
    m_runs[row].final = true;
    changed(row);
}

void TaskRunsModel::setResult(const connectors::CeleryTaskResult &result)
{
    const int row = rowOf(result.taskId);
    if (row < 0)
        return;
    TaskRun &run = m_runs[row];
    if (run.final)
        return;
    // PENDING is what a missing key says; it never takes back a state already seen.
    if (result.status != QLatin1String("PENDING") || run.status == QLatin1String("SENDING"))
        run.status = result.status;
    run.summary = resultSummary(result);
    run.resultText = result.result.is_null() ? QString() : connectors::jsonToText(result.result, 2);
    run.traceback = result.traceback;
    run.dateDone = result.dateDone;
    run.problem.clear();
    run.final = result.isFinal();
    changed(row);
}

void TaskRunsModel::setProblem(const QString &id, const QString &problem)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    m_runs[row].problem = problem;
    changed(row);
}

int TaskRunsModel::rowOf(const QString &id) const
{
    for (int row = 0; row < m_runs.size(); ++row) {
        if (m_runs.at(row).id == id)
            return row;
    }
    return -1;
}

const TaskRun *TaskRunsModel::runAt(int row) const
{
    return row >= 0 && row < m_runs.size() ? &m_runs.at(row) : nullptr;
}

void TaskRunsModel::changed(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    Q_EMIT runChanged(m_runs.at(row).id);
}

int TaskRunsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int TaskRunsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TaskRunsModel::data(const QModelIndex &index, int role) const
{
    const TaskRun *run = runAt(index.row());
    if (!run || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    if (role == IdRole)
        return run->id;
    if (role == FinalRole)
        return run->final;
    if (role == Qt::ForegroundRole && index.column() == StateColumn) {
        const QColor color = statusColor(run->status);
        return color.isValid() ? QVariant(QBrush(color)) : QVariant();
    }
    if (role == Qt::ToolTipRole && !run->problem.isEmpty())
        return run->problem;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case SentColumn:
        return QLocale().toString(run->sentAt.toLocalTime().time(), QStringLiteral("HH:mm:ss"));
    case TaskColumn:
        return run->label.isEmpty() ? run->task
                                    : QStringLiteral("%1 (%2)").arg(run->label, run->task);
    case StateColumn:
        return run->problem.isEmpty() || run->final ? run->status
                                                    : run->status + QStringLiteral(" ⚠");
    case ResultColumn:
        return run->summary.left(300);
    case QueueColumn:
        return run->queue;
    case IdColumn:
        return run->id;
    }
    return {};
}

QVariant TaskRunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SentColumn:
        return tr("Sent");
    case TaskColumn:
        return tr("Task");
    case StateColumn:
        return tr("State");
    case ResultColumn:
        return tr("Result");
    case QueueColumn:
        return tr("Queue");
    case IdColumn:
        return tr("Id");
    }
    return {};
}

} // namespace bd::models
