//! The registers as CSV files for Excel in a Russian locale: UTF-8 with a BOM, `;` between
//! fields, a Russian header row, times in UTC (RFC 3339), cells a spreadsheet would take for a
//! formula kept as text.

use persistence::registers::acts::ActRow;
use persistence::registers::{FineRow, OrderRow};

use crate::error::ApiError;
use crate::routes::admin::audit_log::cell;

/// The header row of the register of orders.
pub const ORDERS_HEADER: [&str; 10] = [
    "Номер",
    "Обращение",
    "Адрес",
    "Управляющая компания",
    "Выдано (UTC)",
    "Срок (UTC)",
    "Проверено (UTC)",
    "Статус",
    "Штрафы, ₽",
    "ID предписания",
];

/// The header row of the register of fines.
pub const FINES_HEADER: [&str; 10] = [
    "Дата (UTC)",
    "Статья",
    "Правовое основание",
    "Нарушитель",
    "Сумма, ₽",
    "Управляющая компания",
    "Обращение",
    "Предписание",
    "ID штрафа",
    "ID компании",
];

/// The header row of the register of inspection acts.
pub const ACTS_HEADER: [&str; 10] = [
    "Номер",
    "Дата (UTC)",
    "Обращение",
    "Адрес",
    "Управляющая компания",
    "Нарушения",
    "Результаты проверки",
    "Инспектор",
    "ID акта",
    "ID компании",
];

fn write<const N: usize>(header: [&str; N], rows: Vec<[String; N]>) -> Result<Vec<u8>, ApiError> {
    let fault = |e: csv::Error| ApiError::internal(format!("writing a register CSV: {e}"));
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        writer.write_record(header).map_err(fault)?;
        for row in rows {
            writer.write_record(&row).map_err(fault)?;
        }
        writer.flush().map_err(|e| fault(e.into()))?;
    }
    Ok(out)
}

fn time(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn status_ru(status: domain::OrderStatus) -> &'static str {
    match status {
        domain::OrderStatus::Open => "открыто",
        domain::OrderStatus::Complied => "исполнено",
        domain::OrderStatus::Overdue => "просрочено",
        domain::OrderStatus::Fined => "оштрафовано",
    }
}

pub fn orders_csv(rows: &[OrderRow]) -> Result<Vec<u8>, ApiError> {
    write(
        ORDERS_HEADER,
        rows.iter()
            .map(|r| {
                [
                    cell(&r.number),
                    cell(&r.complaint_number),
                    cell(&r.address),
                    cell(&r.company_name),
                    time(r.issued_at),
                    time(r.due_at),
                    r.checked_at.map(time).unwrap_or_default(),
                    status_ru(r.status).to_owned(),
                    r.fined_rub.to_string(),
                    r.id.to_string(),
                ]
            })
            .collect(),
    )
}

pub fn fines_csv(rows: &[FineRow]) -> Result<Vec<u8>, ApiError> {
    write(
        FINES_HEADER,
        rows.iter()
            .map(|r| {
                let offender = match r.offender.as_deref() {
                    Some("legal_entity") => "юридическое лицо",
                    Some("official") => "должностное лицо",
                    Some(_) | None => "",
                };
                [
                    time(r.recorded_at),
                    cell(r.article.as_deref().unwrap_or("")),
                    cell(&r.legal_basis),
                    offender.to_owned(),
                    r.amount_rub.to_string(),
                    cell(&r.company_name),
                    cell(&r.complaint_number),
                    cell(r.order_number.as_deref().unwrap_or("")),
                    r.id.to_string(),
                    r.company_id.to_string(),
                ]
            })
            .collect(),
    )
}

pub fn acts_csv(rows: &[ActRow]) -> Result<Vec<u8>, ApiError> {
    write(
        ACTS_HEADER,
        rows.iter()
            .map(|r| {
                let violation = if r.violation {
                    "выявлены"
                } else {
                    "не выявлены"
                };
                [
                    cell(&r.number),
                    time(r.recorded_at),
                    cell(&r.complaint_number),
                    cell(&r.address),
                    cell(r.company_name.as_deref().unwrap_or("")),
                    violation.to_owned(),
                    cell(&r.findings),
                    cell(&r.inspector_name),
                    r.id.to_string(),
                    r.company_id.map(|id| id.to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
    )
}
