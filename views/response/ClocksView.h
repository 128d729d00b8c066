// Clocks and metrics of the response: time to classification and to containment (running or stopped), progress of
// each phase, forensic-chain completeness, and the EU AI Act Article 73 reporting deadlines for high-risk agents.
// Refreshed on every change and every few seconds while a clock runs.
#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QTimer;
class QGridLayout;

namespace chainsight::views {

class ResponseController;

class ClocksView : public QWidget
{
    Q_OBJECT
public:
    explicit ClocksView(ResponseController* controller, QWidget* parent = nullptr);
    void refresh();

private:
    ResponseController* m_c;
    QLabel *m_clocks, *m_forensics, *m_euAct;
    QList<QProgressBar*> m_bars;
    QTimer* m_timer;
};

} // namespace chainsight::views
