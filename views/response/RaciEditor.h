// The RACI matrix editor: roles (editable: add, rename, remove) against activities (the phases, and items once given
// a cell); each cell R, A, C, I or empty; rows with no A, more than one A or no R are flagged.
#pragma once

#include <QWidget>

class QLabel;
class QTableView;

namespace chainsight::views {

class RaciModel;
class ResponseController;

class RaciEditor : public QWidget
{
    Q_OBJECT
public:
    explicit RaciEditor(ResponseController* controller, QWidget* parent = nullptr);
    QTableView* table() const { return m_table; }
    RaciModel* model() const { return m_model; }

private:
    void updateSummary();
    void addRole();
    void renameRole();
    void removeRole();
    void addItemActivity();

    ResponseController* m_c;
    RaciModel* m_model;
    QTableView* m_table;
    QLabel* m_summary;
};

} // namespace chainsight::views
