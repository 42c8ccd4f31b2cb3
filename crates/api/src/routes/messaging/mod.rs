//! The screens of SMS and e-mail: each person's choices of channels (`/me/messaging`), the
//! delivery log with its daily counts (administrators and the city department, read-only), and
//! the message templates (administrators).

pub mod deliveries;
pub mod preferences;
pub mod templates;
