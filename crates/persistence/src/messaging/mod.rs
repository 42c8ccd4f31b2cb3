//! Messages off the screen: deliveries through the SMS and e-mail gateways, what the SMS centre
//! sends back, the numbers that said "СТОП", each person's choices, the templates, digests and
//! the once-a-day jobs.

pub mod daily;
pub mod deliveries;
pub mod inbound;
pub mod preferences;
pub mod templates;
