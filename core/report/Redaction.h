// Masking for the legal review copy: secrets and personal data in prompts, tool arguments and outputs are
// replaced by a label ("[EMAIL]", "[SECRET]"), by patterns an organisation can change (resources/report/
// redaction.json, or a file of the same shape). SHA-256 sums are never masked: the copy names every original
// by its hash so it can be tied back to the evidence.
#pragma once

#include "core/Result.h"

#include <QRegularExpression>
#include <QString>

#include <map>
#include <vector>

namespace chainsight::report {

class Redactor
{
public:
    struct Rule
    {
        QString name;
        QRegularExpression re;
        QString replacement;
    };

    // The patterns shipped in resources/report/redaction.json (compiled in).
    static Redactor defaults();
    // {"patterns": [{"name", "regex", "replacement"}]}; errors name the file and the field.
    static Result<Redactor> fromJson(const QByteArray& json, const QString& file);
    static Result<Redactor> fromFile(const QString& path);

    // Masks text; counts what it masked by rule name.
    QString apply(const QString& text);
    const std::map<QString, int>& counts() const { return m_counts; }
    int total() const;
    const std::vector<Rule>& rules() const { return m_rules; }

private:
    std::vector<Rule> m_rules;
    std::map<QString, int> m_counts;
};

// The shipped default patterns and report template (resources/report/), compiled in.
QByteArray defaultRedactionJson();
QByteArray defaultTemplateHtml();

} // namespace chainsight::report
