// Pattern masking for the legal review copy (see Redaction.h).
#include "core/report/Redaction.h"

#include "core/io/Files.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace chainsight::report {

Redactor Redactor::defaults()
{
    auto r = fromJson(defaultRedactionJson(), QStringLiteral("redaction.json"));
    return r ? std::move(*r) : Redactor();
}

Result<Redactor> Redactor::fromFile(const QString& path)
{
    auto json = io::readFileBounded(path, 4 << 20); // a larger file is refused, not cut
    if (!json) return json.error();
    return fromJson(QByteArray::fromStdString(*json), path);
}

Result<Redactor> Redactor::fromJson(const QByteArray& json, const QString& file)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError) {
        const qint64 line = json.left(pe.offset).count('\n') + 1;
        return makeError(ErrorCode::Json, pe.errorString(), file, line);
    }
    const QJsonValue patterns = doc.object().value(QStringLiteral("patterns"));
    if (!patterns.isArray())
        return makeError(ErrorCode::Format, QStringLiteral("expected an array"), file, -1, QStringLiteral("patterns"));
    Redactor r;
    int i = 0;
    for (const QJsonValue& v : patterns.toArray()) {
        const QString field = QStringLiteral("patterns[%1]").arg(i++);
        const QJsonObject o = v.toObject();
        Rule rule;
        rule.name = o.value(QStringLiteral("name")).toString();
        rule.replacement = o.value(QStringLiteral("replacement")).toString(QStringLiteral("[REDACTED]"));
        const QString regex = o.value(QStringLiteral("regex")).toString();
        if (rule.name.isEmpty() || regex.isEmpty())
            return makeError(ErrorCode::Format, QStringLiteral("needs a name and a regex"), file, -1, field);
        rule.re = QRegularExpression(regex);
        if (!rule.re.isValid())
            return makeError(ErrorCode::Format, QStringLiteral("bad regex: %1").arg(rule.re.errorString()), file, -1,
                             field + QStringLiteral(".regex"));
        rule.re.optimize();
        r.m_rules.push_back(std::move(rule));
    }
    return r;
}

int Redactor::total() const
{
    int n = 0;
    for (const auto& [k, v] : m_counts)
        n += v;
    return n;
}

QString Redactor::apply(const QString& text)
{
    if (text.isEmpty() || m_rules.empty()) return text;
    // Hashes are set aside first so no pattern (a card number, a token) can eat into one.
    static const QRegularExpression hashRe(QStringLiteral("(?<![0-9A-Fa-f])[0-9a-fA-F]{64}(?![0-9A-Fa-f])"));
    QStringList kept;
    QString out;
    qsizetype last = 0;
    for (auto it = hashRe.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        out += QStringView(text).mid(last, m.capturedStart() - last);
        out += QChar(0xE000) + QString::number(kept.size()) + QChar(0xE001);
        kept << m.captured();
        last = m.capturedEnd();
    }
    out += QStringView(text).mid(last);
    for (const Rule& rule : m_rules) {
        QString next;
        qsizetype pos = 0;
        int n = 0;
        for (auto it = rule.re.globalMatch(out); it.hasNext();) {
            const auto m = it.next();
            if (m.capturedLength() == 0) continue;
            next += QStringView(out).mid(pos, m.capturedStart() - pos);
            QString rep = rule.replacement;
            for (int g = 9; g >= 1; --g)
                rep.replace(QStringLiteral("\\%1").arg(g), m.captured(g));
            next += rep;
            pos = m.capturedEnd();
            ++n;
        }
        if (!n) continue;
        next += QStringView(out).mid(pos);
        out = std::move(next);
        m_counts[rule.name] += n;
    }
    for (int i = 0; i < kept.size(); ++i)
        out.replace(QChar(0xE000) + QString::number(i) + QChar(0xE001), kept[i]);
    return out;
}

} // namespace chainsight::report
