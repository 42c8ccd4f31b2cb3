//! What an event is called in a printed Russian document (the SPA has its own catalogue).

use crate::EventKind;

impl EventKind {
    /// The event's Russian name, as printed documents show it.
    pub const fn name_ru(self) -> &'static str {
        match self {
            EventKind::Registered => "Жалоба зарегистрирована",
            EventKind::Accept => "Принята в работу",
            EventKind::AssignExecutor => "Назначен исполнитель",
            EventKind::ReportDone => "УК сообщила о выполнении",
            EventKind::NotOurBuilding => "УК: «не наш дом»",
            EventKind::Reroute => "Перенаправлена в другую УК",
            EventKind::RecordCall => "Контрольный звонок",
            EventKind::ResidentAnswer => "Ответ жителя",
            EventKind::SendToInspection => "Передана в жилищный контроль",
            EventKind::Reject => "Отклонена",
            EventKind::Withdraw => "Отозвана жителем",
            EventKind::RecordFindings => "Результаты проверки",
            EventKind::IssueOrder => "Выдано предписание",
            EventKind::CheckCompliance => "Проверено исполнение предписания",
            EventKind::RecordFine => "Назначен штраф",
            EventKind::PauseClock => "Срок приостановлен",
            EventKind::ResumeClock => "Срок возобновлён",
            EventKind::ExtendAnswer => "Срок ответа продлён (59-ФЗ)",
            EventKind::Recategorise => "Изменена категория",
        }
    }
}

#[cfg(test)]
mod tests {
    use strum::IntoEnumIterator;

    use crate::EventKind;

    #[test]
    fn every_event_has_a_distinct_russian_name() {
        let names: std::collections::BTreeSet<&str> =
            EventKind::iter().map(EventKind::name_ru).collect();
        assert_eq!(names.len(), EventKind::iter().count());
    }
}
