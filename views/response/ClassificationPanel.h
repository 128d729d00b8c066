// The classification decision: the machine's proposal (type, tier, confidence, reasons) beside the analyst's decision
// (who, when, why), and the form to confirm or override it with a reason; the containment ladder proposed from the
// type and the agent's criticality, with the agent's profile (criticality, EU AI Act high-risk) editable.
#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace chainsight::views {

class ResponseController;

class ClassificationPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ClassificationPanel(ResponseController* controller, QWidget* parent = nullptr);
    // For tests and the screenshot: fill the form and press the button.
    void decide(const QString& type, int tier, const QString& reason);

private:
    void refresh();
    void submit();
    void updateButton();

    ResponseController* m_c;
    QLabel *m_machine, *m_decision, *m_ladder;
    QComboBox *m_type, *m_criticality;
    QSpinBox* m_tier;
    QLineEdit* m_reason;
    QPushButton* m_submit;
    QCheckBox* m_highRisk;
    bool m_updating = false;
};

} // namespace chainsight::views
