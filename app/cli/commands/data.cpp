#include "codec/untrustedjson.h"
#include "data/datasetcatalog.h"
#include "data/datasetdiff.h"
#include "data/datasetexport.h"
#include "data/datasetreader.h"
#include "taskcalls.h"

#include <QBuffer>
#include <QCommandLineParser>
#include <QDateTime>
#include <QUuid>

#include <nlohmann/json.hpp>

#include <memory>

namespace bd::app {

using connectors::DatasetTable;
using connectors::DatasetTablePtr;

namespace {

constexpr int kDefaultWaitS = 60; // --refresh without --wait

// The records that pass every --filter COLUMN=TEXT (the cell contains TEXT, without case).
std::vector<qsizetype> filteredRows(const DatasetTable &t,
                                    const QList<std::pair<int, QString>> &filters)
{
    std::vector<qsizetype> rows;
    for (qsizetype r = 0; r < t.recordCount(); ++r) {
        bool pass = true;
        for (const auto &[column, text] : filters)
            pass = pass && t.cell(r, column).contains(text, Qt::CaseInsensitive);
        if (pass)
            rows.push_back(r);
    }
    return rows;
}

// A read's problems on stderr, as warnings: the records were printed.
void warnProblems(const DatasetTable &t)
{
    for (const connectors::DatasetProblem &p : t.problems())
        CliContext::writeErr(
            p.record >= 0 ? QStringLiteral("warning: record %1: %2").arg(p.record).arg(p.text)
                          : QStringLiteral("warning: %1").arg(p.text));
    if (t.problemCount() > t.problems().size())
        CliContext::writeErr(QStringLiteral("warning: and %1 more problems")
                                 .arg(t.problemCount() - t.problems().size()));
}

struct DataRun
{
    connectors::DatasetDefinition definition;
    connectors::DatasetReadOptions options;
    QStringList filterArgs;
    enum class Format { Text, Json, Csv } format = Format::Text;
    connectors::DatasetReader *reader = nullptr;
};

// Reads the dataset; then(read) unless the read says the records cannot be shown (then exit 1).
void readDataset(CliContext &context, const std::shared_ptr<DataRun> &run,
                 std::function<void(DatasetTablePtr)> then)
{
    run->reader->read(run->definition, run->options, nullptr,
                      [&context, run, then](const connectors::DatasetRead &read) {
                          const QString key = QString::fromUtf8(run->definition.key);
                          if (read.missing) {
                              context.finishWithError(
                                  QStringLiteral("%1 does not exist: the cache is empty").arg(key));
                              return;
                          }
                          if (!read.table || !read.table->ok()) {
                              context.finishWithError(
                                  QStringLiteral("%1: %2").arg(key, read.error));
                              return;
                          }
                          then(read.table);
                      });
}

void printRecords(CliContext &context, const DataRun &run, const DatasetTable &t)
{
    QList<std::pair<int, QString>> filters;
    for (const QString &f : run.filterArgs) {
        const qsizetype eq = f.indexOf(QLatin1Char('='));
        const int column = eq > 0 ? t.columnOf(f.left(eq)) : -1;
        if (column < 0) {
            context.finishWithUsageError(QStringLiteral("--filter %1: no such column (columns: %2)")
                                             .arg(f, t.columns().join(QStringLiteral(", "))));
            return;
        }
        filters.append({column, f.mid(eq + 1)});
    }
    const std::vector<qsizetype> rows = filteredRows(t, filters);
    QList<int> columns;
    for (int c = 0; c < t.columnCount(); ++c)
        columns << c;
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    if (run.format == DataRun::Format::Json) {
        connectors::writeDatasetJson(t, rows, &out);
    } else if (run.format == DataRun::Format::Csv) {
        connectors::writeDatasetCsv(t, rows, columns, &out);
    } else {
        // Tab-separated, a header first; tabs and newlines inside cells escaped.
        const auto escaped = [](QByteArrayView cell) {
            QByteArray b = cell.toByteArray();
            return b.replace('\\', "\\\\")
                .replace('\t', "\\t")
                .replace('\n', "\\n")
                .replace('\r', "\\r");
        };
        QByteArray text = t.columns().join(QLatin1Char('\t')).toUtf8() + '\n';
        for (qsizetype r : rows) {
            for (int c = 0; c < t.columnCount(); ++c)
                text += (c ? "\t" : "") + escaped(t.cellUtf8(r, c));
            text += '\n';
        }
        out.write(text);
    }
    CliContext::writeOut(out.data());
    warnProblems(t);
    context.finish(ExitOk);
}

void printChanges(CliContext &context, const DatasetTable &before, const DatasetTable &after,
                  const connectors::CeleryTaskResult &result)
{
    const connectors::DatasetDiff diff = connectors::diffDatasets(before, after);
    const QString summary = QStringLiteral("added %1, removed %2, changed %3")
                                .arg(diff.added)
                                .arg(qint64(diff.removed.size()))
                                .arg(diff.changed);
    if (!context.json()) {
        CliContext::writeOut(summary.toUtf8() + '\n');
        context.finish(ExitOk);
        return;
    }
    nlohmann::json added = nlohmann::json::array(), removed = nlohmann::json::array(),
                   changed = nlohmann::json::array();
    for (qsizetype i = 0; i < after.recordCount(); ++i) {
        if (diff.byRecord[size_t(i)] == connectors::DatasetDiff::Change::Added)
            added.push_back(after.recordName(i).toStdString());
        else if (diff.byRecord[size_t(i)] == connectors::DatasetDiff::Change::Changed)
            changed.push_back(after.recordName(i).toStdString());
    }
    for (qint64 j : diff.removed)
        removed.push_back(before.recordName(qsizetype(j)).toStdString());
    CliContext::writeOut(
        connectors::jsonToBytes(nlohmann::json{{"task_id", result.taskId.toStdString()},
                                               {"status", result.status.toStdString()},
                                               {"result", result.result},
                                               {"added", added},
                                               {"removed", removed},
                                               {"changed", changed},
                                               {"summary", summary.toStdString()}})
        + '\n');
    context.finish(ExitOk);
}

} // namespace

void runData(CliContext &context, const QStringList &args)
{
    QCommandLineParser parser;
    const QString usage = QStringLiteral(
        "data NAME [--json | --csv] [--filter COLUMN=TEXT]... [--refresh [--wait S]] "
        "[--backend URL] [--key-prefix P] [--max-mb N]");
    parser.addOption({QStringLiteral("json"), QString()});
    parser.addOption({QStringLiteral("csv"), QString()});
    parser.addOption({QStringLiteral("refresh"), QString()});
    for (const char *name : {"filter", "wait", "backend", "key-prefix", "max-mb"})
        parser.addOption({QString::fromLatin1(name), QString(), QStringLiteral("V")});
    if (!parser.parse(QStringList{QStringLiteral("data")} + args)
        || parser.positionalArguments().size() != 1
        || (parser.isSet(QStringLiteral("json")) && parser.isSet(QStringLiteral("csv")))) {
        context.finishWithUsageError(usage);
        return;
    }
    const connectors::DatasetCatalog catalog = connectors::DatasetCatalog::loadDefault();
    for (const QString &problem : catalog.problems())
        CliContext::writeErr(QStringLiteral("warning: %1").arg(problem));
    const QString name = parser.positionalArguments().first();
    const connectors::DatasetDefinition *definition = catalog.find(name);
    if (!definition) {
        QStringList names;
        for (const auto &d : catalog.datasets())
            names << d.name.toLower();
        context.finishWithUsageError(QStringLiteral("no dataset \"%1\" (there are: %2)")
                                         .arg(name, names.join(QStringLiteral(", "))));
        return;
    }
    auto run = std::make_shared<DataRun>();
    run->definition = *definition;
    run->filterArgs = parser.values(QStringLiteral("filter"));
    if (parser.isSet(QStringLiteral("json")) || context.json()) {
        run->format = DataRun::Format::Json;
        context.setOutput(CliContext::Output::Json);
    } else if (parser.isSet(QStringLiteral("csv"))) {
        run->format = DataRun::Format::Csv;
    }
    bool ok = true;
    if (parser.isSet(QStringLiteral("max-mb")))
        run->options.maxBytes =
            qint64(parser.value(QStringLiteral("max-mb")).toDouble(&ok) * (1 << 20));
    double waitSeconds = kDefaultWaitS;
    if (ok && parser.isSet(QStringLiteral("wait")))
        waitSeconds = parser.value(QStringLiteral("wait")).toDouble(&ok);
    if (!ok || waitSeconds <= 0 || run->options.maxBytes <= 0
        || run->options.maxBytes > connectors::DatasetReadOptions::kMaxLimitBytes) {
        context.finishWithUsageError(
            usage + QStringLiteral(": a positive number for --wait, and for --max-mb up to 2047"));
        return;
    }
    run->reader = new connectors::DatasetReader(context.client(), context.client());

    if (!parser.isSet(QStringLiteral("refresh"))) {
        readDataset(context, run, [&context, run](DatasetTablePtr table) {
            printRecords(context, *run, *table);
        });
        return;
    }
    if (run->definition.refreshTask.isEmpty()) {
        context.finishWithUsageError(
            QStringLiteral("the dataset %1 names no refresh task").arg(run->definition.name));
        return;
    }
    connectors::ConnectionSettings backend;
    if (!backendSettings(context, parser, &backend))
        return;
    const QByteArray keyPrefix = parser.value(QStringLiteral("key-prefix")).toUtf8();
    const int waitMs = int(waitSeconds * 1000);
    // The records before, the task, its end, the records after: what changed.
    readDataset(context, run, [&context, run, backend, keyPrefix, waitMs](DatasetTablePtr before) {
        connectors::CeleryTaskRequest request;
        request.task = run->definition.refreshTask;
        const connectors::EncodedCeleryTask task =
            connectors::encodeCeleryTask(request, keyPrefix, QDateTime::currentDateTimeUtc());
        if (!task.ok) {
            context.finishWithError(QStringLiteral("not sent: %1").arg(task.error));
            return;
        }
        publishTask(context, request, task,
                    [&context, run, backend, waitMs, before,
                     id = task.id](const connectors::RedisResult &sent) {
                        if (!sent.ok()) {
                            context.finishWithError(
                                QStringLiteral("not sent: %1").arg(sent.error.toString()));
                            return;
                        }
                        followTask(
                            context, backend, id, waitMs, true,
                            [&context, run, before](const connectors::CeleryTaskResult &r) {
                                if (r.failed()) {
                                    context.finishWithError(
                                        QStringLiteral("the refresh %1: %2%3")
                                            .arg(r.status, connectors::jsonToText(r.result),
                                                 r.traceback.isEmpty()
                                                     ? QString()
                                                     : QLatin1Char('\n') + r.traceback.trimmed()));
                                    return;
                                }
                                // The task wrote the key before it succeeded.
                                readDataset(context, run,
                                            [&context, before, r](DatasetTablePtr after) {
                                                printChanges(context, *before, *after, r);
                                            });
                            });
                    });
    });
}

} // namespace bd::app
