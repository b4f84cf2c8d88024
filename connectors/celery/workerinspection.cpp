#include "workerinspection.h"

#include "celery/jsonfields.h"
#include "codec/untrustedjson.h"

#include <QRegularExpression>

#include <vector>

namespace bd::connectors {

namespace {

const QString kHidden = QStringLiteral("(hidden)");

qint64 wholeNumber(const nlohmann::json &object, const char *name)
{
    if (!object.is_object())
        return -1;
    const auto it = object.find(name);
    if (it == object.end() || !it->is_number())
        return -1;
    const double v = it->get<double>();
    return v > -9.0e18 && v < 9.0e18 ? qint64(v) : -1;
}

qint64 listSize(const nlohmann::json &value)
{
    return value.is_array() ? qint64(value.size()) : -1;
}

// A URL's password: scheme://user:PASSWORD@host (broker_url and result_backend in conf).
QString withoutUrlPasswords(QString text)
{
    static const QRegularExpression password(
        QStringLiteral("(\\w[\\w+.-]*://[^:/@\\s]*:)[^@\\s]+@"));
    return text.replace(password, QStringLiteral("\\1(hidden)@"));
}

bool isSecretName(const std::string &name)
{
    static const QRegularExpression secret(
        QStringLiteral("(^|_)(password|passwd|secret|token|api_?key)$"),
        QRegularExpression::CaseInsensitiveOption);
    return secret.match(QString::fromStdString(name)).hasMatch();
}

// "celery.concurrency.prefork:TaskPool" → "prefork".
QString poolName(const QString &implementation)
{
    QString name = implementation.section(QLatin1Char(':'), 0, 0);
    name = name.section(QLatin1Char('.'), -1);
    return name.isEmpty() ? implementation : name;
}

QString brokerUrl(const nlohmann::json &broker)
{
    if (!broker.is_object())
        return {};
    const QString transport = jsonText(broker, "transport");
    const QString user = jsonText(broker, "userid");
    const QString host = jsonText(broker, "hostname");
    const qint64 port = wholeNumber(broker, "port");
    QString vhost = jsonText(broker, "virtual_host");
    QString url = (transport.isEmpty() ? QStringLiteral("?") : transport) + QStringLiteral("://");
    if (!user.isEmpty())
        url += user + QLatin1Char('@');
    url += host;
    if (port > 0)
        url += QLatin1Char(':') + QString::number(port);
    if (!vhost.isEmpty())
        url += (vhost.startsWith(QLatin1Char('/')) ? QString() : QStringLiteral("/")) + vhost;
    return url;
}

} // namespace

QStringList workerInspectMethods()
{
    return {
        QStringLiteral("ping"),       QStringLiteral("stats"),   QStringLiteral("active_queues"),
        QStringLiteral("registered"), QStringLiteral("active"),  QStringLiteral("reserved"),
        QStringLiteral("scheduled"),  QStringLiteral("revoked"), QStringLiteral("conf")};
}

bool isInspectMethod(const QString &method)
{
    static const QStringList inspect{
        QStringLiteral("ping"),       QStringLiteral("stats"),    QStringLiteral("active_queues"),
        QStringLiteral("registered"), QStringLiteral("active"),   QStringLiteral("reserved"),
        QStringLiteral("scheduled"),  QStringLiteral("revoked"),  QStringLiteral("conf"),
        QStringLiteral("query_task"), QStringLiteral("report"),   QStringLiteral("clock"),
        QStringLiteral("dump_tasks"), QStringLiteral("objgraph"), QStringLiteral("memsample"),
        QStringLiteral("memdump")};
    return inspect.contains(method);
}

nlohmann::json withoutSecrets(const nlohmann::json &value)
{
    // Iterative: replies come from the network (depth is bounded by the gate anyway).
    nlohmann::json copy = value;
    std::vector<nlohmann::json *> stack{&copy};
    while (!stack.empty()) {
        nlohmann::json *node = stack.back();
        stack.pop_back();
        if (node->is_object()) {
            for (auto it = node->begin(); it != node->end(); ++it) {
                if (isSecretName(it.key()) && !it->is_null() && !it->is_object() && !it->is_array())
                    *it = kHidden.toStdString();
                else
                    stack.push_back(&*it);
            }
        } else if (node->is_string()) {
            const QString text = QString::fromStdString(node->get<std::string>());
            const QString hidden = withoutUrlPasswords(text);
            if (hidden != text)
                *node = hidden.toStdString();
        } else if (node->is_array()) {
            for (nlohmann::json &element : *node)
                stack.push_back(&element);
        }
    }
    return copy;
}

void takeInspectReplies(QHash<QString, WorkerInspection> &workers, const QString &method,
                        const QList<CeleryControlReply> &replies)
{
    for (const CeleryControlReply &reply : replies) {
        if (reply.node.isEmpty())
            continue;
        WorkerInspection &w = workers[reply.node];
        w.hostname = reply.node;
        w.answered.insert(method);
        const nlohmann::json &a = reply.answer;
        if (method == QLatin1String("stats")) {
            w.stats = withoutSecrets(a);
            w.pid = std::max<qint64>(0, wholeNumber(a, "pid"));
            w.uptime = double(wholeNumber(a, "uptime"));
            w.prefetchCount = wholeNumber(a, "prefetch_count");
            if (a.is_object()) {
                if (const auto pool = a.find("pool"); pool != a.end() && pool->is_object()) {
                    w.concurrency = wholeNumber(*pool, "max-concurrency");
                    w.pool = poolName(jsonText(*pool, "implementation"));
                    // Celery 5.2 does not name the pool in stats; only prefork lists processes.
                    if (w.pool.isEmpty() && pool->contains("processes"))
                        w.pool = QStringLiteral("prefork");
                }
                if (const auto total = a.find("total"); total != a.end() && total->is_object()) {
                    qint64 sum = 0;
                    for (const nlohmann::json &n : *total) {
                        if (n.is_number())
                            sum += qint64(std::clamp(n.get<double>(), 0.0, 1.0e15));
                    }
                    w.processed = sum;
                }
                if (const auto broker = a.find("broker"); broker != a.end())
                    w.broker = brokerUrl(*broker);
            }
        } else if (method == QLatin1String("active_queues")) {
            w.activeQueues = a;
            w.queues.clear();
            if (a.is_array()) {
                for (const nlohmann::json &q : a)
                    w.queues << jsonText(q, "name");
            }
        } else if (method == QLatin1String("registered")) {
            w.registered.clear();
            w.rateLimits.clear();
            if (a.is_array()) {
                // "tasks.add [rate_limit=10/m]" when asked with taskinfoitems.
                static const QRegularExpression item(QStringLiteral("^(\\S+)(?: \\[(.*)\\])?$"));
                for (const nlohmann::json &t : a) {
                    const QString text = t.is_string()
                                             ? QString::fromStdString(t.get<std::string>())
                                             : jsonToText(t);
                    const auto m = item.match(text);
                    const QString name = m.hasMatch() ? m.captured(1) : text;
                    w.registered << name;
                    for (const QString &info :
                         m.captured(2).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
                        if (info.startsWith(QLatin1String("rate_limit=")))
                            w.rateLimits.insert(name, info.mid(11));
                    }
                }
            }
        } else if (method == QLatin1String("active")) {
            w.activeTasks = a;
            w.active = listSize(a);
        } else if (method == QLatin1String("reserved")) {
            w.reservedTasks = a;
            w.reserved = listSize(a);
        } else if (method == QLatin1String("scheduled")) {
            w.scheduledTasks = a;
            w.scheduled = listSize(a);
        } else if (method == QLatin1String("revoked")) {
            w.revokedIds = a;
            w.revoked = listSize(a);
        } else if (method == QLatin1String("conf")) {
            w.conf = withoutSecrets(a);
        }
    }
}

bool isOkReply(const nlohmann::json &answer)
{
    return answer.is_object() && answer.contains("ok");
}

QString controlReplyText(const nlohmann::json &answer)
{
    if (answer.is_object() && answer.size() == 1) {
        if (const auto ok = answer.find("ok"); ok != answer.end())
            return QStringLiteral("ok: ") + jsonText(answer, "ok");
        if (const auto error = answer.find("error"); error != answer.end())
            return QStringLiteral("error: ") + jsonText(answer, "error");
    }
    return jsonToText(answer);
}

} // namespace bd::connectors
