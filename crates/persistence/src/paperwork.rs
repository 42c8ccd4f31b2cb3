//! The inspection's documents: what an order (предписание) or an inspection act (акт проверки)
//! is printed with, the administrator's templates, and the inspector's visits.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::entities::{
    audit_log, building, complaint, document_template, inspection_act, inspection_visit, order,
    organisation, user,
};
use crate::{Db, RepoError};

/// A document ready to be filled into its template.
#[derive(Debug, Clone)]
pub struct PaperRecord {
    pub kind: domain::DocumentKind,
    pub id: Uuid,
    pub number: String,
    pub complaint_id: Uuid,
    /// The company it is addressed to (who may read it besides the inspection and the city).
    pub company_id: Option<Uuid>,
    pub fields: domain::DocumentFields,
}

async fn names(
    db: &Db,
    complaint_id: Uuid,
    company_id: Option<Uuid>,
    inspector_id: Uuid,
) -> Result<(String, String, String, String), RepoError> {
    let conn = db.connection();
    let c = complaint::Entity::find_by_id(complaint_id)
        .one(conn)
        .await?
        .ok_or(RepoError::NotFound)?;
    let address = building::Entity::find_by_id(c.building_id)
        .one(conn)
        .await?
        .map(|b| b.address)
        .unwrap_or_default();
    let company = match company_id.or(c.company_id) {
        Some(id) => organisation::Entity::find_by_id(id)
            .one(conn)
            .await?
            .map(|o| o.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let inspector: Vec<user::Model> = user::Entity::find_by_id(inspector_id)
        .one(conn)
        .await?
        .filter(|u| u.erased_at.is_none())
        .into_iter()
        .collect();
    let inspector = crate::persons::contacts_of(conn, &inspector)
        .await?
        .remove(&inspector_id)
        .map(|c| c.name)
        .unwrap_or_default();
    Ok((c.number, address, company, inspector))
}

fn fields(pairs: Vec<(&'static str, String)>) -> domain::DocumentFields {
    pairs.into_iter().collect()
}

/// An order as printed, with the findings of the last act before it.
pub async fn order_paper(db: &Db, id: Uuid) -> Result<Option<PaperRecord>, RepoError> {
    let conn = db.connection();
    let Some(o) = order::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let act = inspection_act::Entity::find()
        .filter(inspection_act::Column::ComplaintId.eq(o.complaint_id))
        .filter(inspection_act::Column::RecordedAt.lte(o.issued_at))
        .order_by_desc(inspection_act::Column::RecordedAt)
        .one(conn)
        .await?;
    let (complaint_number, address, company, inspector) =
        names(db, o.complaint_id, Some(o.company_id), o.issued_by).await?;
    let number = o.number.clone().unwrap_or_default();
    Ok(Some(PaperRecord {
        kind: domain::DocumentKind::Order,
        id: o.id,
        number: number.clone(),
        complaint_id: o.complaint_id,
        company_id: Some(o.company_id),
        fields: fields(vec![
            ("number", number),
            ("date", domain::city_date_text(o.issued_at)),
            ("organisation", company),
            ("address", address),
            ("complaint_number", complaint_number),
            ("findings", act.map(|a| a.findings).unwrap_or_default()),
            ("order_text", o.text),
            ("legal_basis", domain::DOCUMENT_LEGAL_BASIS.to_owned()),
            ("due_date", domain::city_date_text(o.due_at)),
            ("inspector", inspector),
            ("violation", "выявлены".to_owned()),
        ]),
    }))
}

/// An inspection act as printed.
pub async fn act_paper(db: &Db, id: Uuid) -> Result<Option<PaperRecord>, RepoError> {
    let Some(a) = inspection_act::Entity::find_by_id(id)
        .one(db.connection())
        .await?
    else {
        return Ok(None);
    };
    let (complaint_number, address, company, inspector) =
        names(db, a.complaint_id, a.company_id, a.inspector_id).await?;
    let violation = if a.violation {
        "выявлены"
    } else {
        "не выявлены"
    };
    Ok(Some(PaperRecord {
        kind: domain::DocumentKind::Act,
        id: a.id,
        number: a.number.clone(),
        complaint_id: a.complaint_id,
        company_id: a.company_id,
        fields: fields(vec![
            ("number", a.number),
            ("date", domain::city_date_text(a.recorded_at)),
            ("organisation", company),
            ("address", address),
            ("complaint_number", complaint_number),
            ("findings", a.findings),
            ("legal_basis", domain::DOCUMENT_LEGAL_BASIS.to_owned()),
            ("inspector", inspector),
            ("violation", violation.to_owned()),
        ]),
    }))
}

/// The papers of one complaint: its orders' and acts' ids and numbers, oldest first.
pub async fn complaint_papers(
    db: &Db,
    complaint_id: Uuid,
) -> Result<Vec<(domain::DocumentKind, Uuid, String)>, RepoError> {
    let conn = db.connection();
    let mut papers: Vec<(domain::DocumentKind, Uuid, String)> = inspection_act::Entity::find()
        .filter(inspection_act::Column::ComplaintId.eq(complaint_id))
        .order_by_asc(inspection_act::Column::RecordedAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (domain::DocumentKind::Act, a.id, a.number))
        .collect();
    papers.extend(
        order::Entity::find()
            .filter(order::Column::ComplaintId.eq(complaint_id))
            .order_by_asc(order::Column::IssuedAt)
            .all(conn)
            .await?
            .into_iter()
            .map(|o| {
                (
                    domain::DocumentKind::Order,
                    o.id,
                    o.number.unwrap_or_default(),
                )
            }),
    );
    Ok(papers)
}

/// The template of `kind`: the administrator's, or the default; with when it was last edited.
pub async fn template(
    db: &Db,
    kind: domain::DocumentKind,
) -> Result<(String, Option<DateTime<Utc>>), RepoError> {
    let saved = document_template::Entity::find_by_id(kind.as_str().to_owned())
        .one(db.connection())
        .await?;
    Ok(match saved {
        Some(t) => (t.body, Some(t.updated_at)),
        None => (domain::default_template(kind).to_owned(), None),
    })
}

/// Saves a template (checked by the caller with [`domain::validate_template`]), audited.
pub async fn save_template(
    db: &Db,
    kind: domain::DocumentKind,
    body: &str,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    let before = document_template::Entity::find_by_id(kind.as_str().to_owned())
        .one(&txn)
        .await?;
    let row = document_template::ActiveModel {
        kind: Set(kind.as_str().to_owned()),
        body: Set(body.to_owned()),
        updated_by: Set(actor_id),
        updated_at: Set(now),
    };
    let before_body = before.as_ref().map(|b| b.body.clone());
    if before.is_some() {
        row.update(&txn).await?;
    } else {
        row.insert(&txn).await?;
    }
    audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        actor_id: Set(actor_id),
        action: Set("document_template_saved".to_owned()),
        complaint_id: Set(None),
        details: Set(serde_json::json!({
            "kind": kind.as_str(),
            "before": before_body,
            "after": body,
        })),
        at: Set(now),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A scheduled visit, with what the calendar shows of its complaint.
#[derive(Debug, Clone)]
pub struct VisitRecord {
    pub id: Uuid,
    pub complaint_id: Uuid,
    pub complaint_number: String,
    pub address: String,
    pub inspector_id: Uuid,
    pub at: DateTime<Utc>,
    pub note: String,
}

/// Schedules a visit (checked by the caller).
pub async fn insert_visit(
    db: &Db,
    complaint_id: Uuid,
    inspector_id: Uuid,
    at: DateTime<Utc>,
    note: &str,
    now: DateTime<Utc>,
) -> Result<Uuid, RepoError> {
    let id = Uuid::now_v7();
    inspection_visit::ActiveModel {
        id: Set(id),
        complaint_id: Set(complaint_id),
        inspector_id: Set(inspector_id),
        at: Set(at),
        note: Set(note.to_owned()),
        created_at: Set(now),
    }
    .insert(db.connection())
    .await?;
    Ok(id)
}

/// The visits in `[from, to)`, earliest first (at most 500), of one inspector or of all.
pub async fn visits(
    db: &Db,
    inspector_id: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<VisitRecord>, RepoError> {
    let conn = db.connection();
    let mut select = inspection_visit::Entity::find()
        .filter(inspection_visit::Column::At.gte(from))
        .filter(inspection_visit::Column::At.lt(to));
    if let Some(inspector) = inspector_id {
        select = select.filter(inspection_visit::Column::InspectorId.eq(inspector));
    }
    let rows = select
        .order_by_asc(inspection_visit::Column::At)
        .order_by_asc(inspection_visit::Column::Id)
        .limit(500)
        .all(conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for v in rows {
        let c = complaint::Entity::find_by_id(v.complaint_id)
            .one(conn)
            .await?;
        let (number, address) = match c {
            Some(c) => {
                let address = building::Entity::find_by_id(c.building_id)
                    .one(conn)
                    .await?
                    .map(|b| b.address)
                    .unwrap_or_default();
                (c.number, address)
            }
            None => (String::new(), String::new()),
        };
        out.push(VisitRecord {
            id: v.id,
            complaint_id: v.complaint_id,
            complaint_number: number,
            address,
            inspector_id: v.inspector_id,
            at: v.at,
            note: v.note,
        });
    }
    Ok(out)
}
