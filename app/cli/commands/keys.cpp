#include "../clicontext.h"
#include "codec/untrustedjson.h"
#include "redis/keyfactsloader.h"
#include "redis/keyscanjob.h"
#include "redis/replyformatter.h"

#include <QCommandLineParser>

#include <nlohmann/json.hpp>

namespace bd::app {

using connectors::KeyFacts;
using connectors::ReplyFormatter;

namespace {

// Prints one page of keys with their facts, in scan order.
void printFacts(const CliContext &context, const QList<KeyFacts> &facts)
{
    QByteArray out;
    for (const KeyFacts &f : facts) {
        if (context.json()) {
            nlohmann::json line{
                {"key", ReplyFormatter::toJson(connectors::RedisReply::string(f.key))},
                {"type", f.type.toStdString()},
                {"ttl_ms", f.pttlMs}};
            out += connectors::jsonToBytes(line) + '\n';
        } else {
            out += ReplyFormatter::escapeBytes(f.key, false).toUtf8() + '\t' + f.type + '\t'
                   + QByteArray::number(f.pttlMs) + '\n';
        }
    }
    CliContext::writeOut(out);
}

} // namespace

void runKeys(CliContext &context, const QStringList &args)
{
    QCommandLineParser parser;
    const QCommandLineOption match(QStringLiteral("match"), QString(), QStringLiteral("GLOB"));
    const QCommandLineOption type(QStringLiteral("type"), QString(), QStringLiteral("T"));
    const QCommandLineOption limit(QStringLiteral("limit"), QString(), QStringLiteral("N"));
    const QCommandLineOption json(QStringLiteral("json"), QString());
    parser.addOptions({match, type, limit, json});
    if (!parser.parse(QStringList{QStringLiteral("keys")} + args)
        || !parser.positionalArguments().isEmpty()) {
        context.finishWithUsageError(
            QStringLiteral("keys [--match GLOB] [--type T] [--limit N]: %1")
                .arg(parser.errorText().isEmpty() ? QStringLiteral("unexpected argument")
                                                  : parser.errorText()));
        return;
    }
    if (parser.isSet(json))
        context.setOutput(CliContext::Output::Json);
    connectors::KeyScanJob::Options options;
    options.match = parser.value(match).toUtf8();
    options.type = parser.value(type).toUtf8();
    if (parser.isSet(limit)) {
        bool ok = false;
        options.cap = parser.value(limit).toLongLong(&ok);
        if (!ok || options.cap <= 0) {
            context.finishWithUsageError(QStringLiteral("--limit takes a positive number"));
            return;
        }
    }
    auto *job = new connectors::KeyScanJob(context.client(), options, context.client());
    auto *facts = new connectors::KeyFactsLoader(context.client(), context.client());
    facts->setMemoryWanted(false);
    // Pages are printed in order: each waits for its facts; the scan keeps going meanwhile.
    auto outstanding = std::make_shared<int>(0);
    auto finished = std::make_shared<bool>(false);
    auto failure = std::make_shared<connectors::RedisError>();
    const auto maybeFinish = [&context, outstanding, finished, failure] {
        if (!*finished || *outstanding > 0)
            return;
        if (failure->isError())
            context.finishWithError(failure->toString());
        else
            context.finish(ExitOk);
    };
    QObject::connect(job, &connectors::KeyScanJob::keysFound, job,
                     [&context, facts, outstanding, maybeFinish](const QList<QByteArray> &keys) {
                         ++*outstanding;
                         facts->load(
                             keys, facts,
                             [&context, outstanding, maybeFinish](const QList<KeyFacts> &f) {
                                 printFacts(context, f);
                                 --*outstanding;
                                 maybeFinish();
                             });
                     });
    QObject::connect(
        job, &connectors::KeyScanJob::finished, job,
        [finished, failure, maybeFinish](bool, bool, const connectors::RedisError &error) {
            *finished = true;
            *failure = error;
            maybeFinish();
        });
    job->start();
}

void runTtl(CliContext &context, const QStringList &args)
{
    Q_UNUSED(args); // read as bytes: a key may be any bytes
    QList<QByteArray> raw = context.rawArguments();
    if (raw.size() == 2 && raw.last() == "--json") {
        context.setOutput(CliContext::Output::Json);
        raw.removeLast();
    }
    if (raw.size() != 1) {
        context.finishWithUsageError(QStringLiteral("ttl takes one key: ttl user:1 [--json]"));
        return;
    }
    const QByteArray key = raw.first();
    context.client()->send(
        {"PTTL", key}, nullptr, [&context, key](const connectors::RedisResult &r) {
            if (!r.ok() || !r.reply.isInteger()) {
                context.finishWithResult(r);
                return;
            }
            const qint64 ms = r.reply.toInteger();
            if (ms == -2) {
                context.finishWithError(
                    QStringLiteral("no such key: %1").arg(ReplyFormatter::escapeBytes(key, false)));
                return;
            }
            if (context.json()) {
                context.finishWithJson(
                    {{"key", ReplyFormatter::toJson(connectors::RedisReply::string(key))},
                     {"ttl_ms", ms}});
                return;
            }
            CliContext::writeOut(QByteArray::number(ms) + '\n'); // -1: no TTL
            context.finish(ExitOk);
        });
}

} // namespace bd::app
