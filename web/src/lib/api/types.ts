// Types of the wire format, derived from the generated OpenAPI schema, so they follow the spec.
import type { components, paths } from '@/api/schema';

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Schemas = components['schemas'];

export type Meta = JsonOf<paths['/api/v1/meta']['get']['responses'][200]>;
export type Me = JsonOf<paths['/api/v1/me']['get']['responses'][200]>;
export type Role = Me['role'];
export type LoginRequest = NonNullable<
  paths['/api/v1/auth/login']['post']['requestBody']
>['content']['application/json'];
export type LoginResponse = JsonOf<paths['/api/v1/auth/login']['post']['responses'][200]>;
export type RegisterRequest = NonNullable<
  paths['/api/v1/auth/register']['post']['requestBody']
>['content']['application/json'];
export type RegistrationStarted = Schemas['RegistrationStarted'];
export type ConfirmRegistrationRequest = Schemas['ConfirmRegistrationRequest'];

export type Category = Schemas['CategoryDto'];
export type FineArticle = Schemas['FineArticleDto'];
export type Offender = Schemas['Offender'];
export type SaveFineArticleRequest = Schemas['SaveFineArticleRequest'];
export type Deadline = Schemas['DeadlineDto'];
export type Building = Schemas['BuildingDto'];
export type OrganisationEntry = Schemas['OrganisationEntry'];
export type Complaint = Schemas['ComplaintDto'];
export type ComplaintPage = Schemas['Page_ComplaintDto'];
export type ComplaintEvent = Schemas['EventDto'];
export type Status = Schemas['Status'];
export type ActionKind = Schemas['ActionKind'];
export type Transition = Schemas['TransitionRequest'];
export type CallOutcome = Schemas['CallOutcome'];
export type RejectReason = Schemas['RejectReason'];
export type CreateComplaintRequest = Schemas['CreateComplaintRequest'];
export type CreatedComplaint = Schemas['CreatedComplaint'];
export type PublicStatus = Schemas['PublicStatus'];
export type User = Schemas['UserDto'];
export type CreateUserRequest = Schemas['CreateUserRequest'];
export type ComplaintQuery = NonNullable<paths['/api/v1/complaints']['get']['parameters']['query']>;
export type ComplaintSort = NonNullable<ComplaintQuery['sort']>;

export type Clock = Schemas['ClockDto'];
export type ClockKind = Schemas['ClockKind'];
export type ClockState = Schemas['ClockState'];
export const CLOCK_KINDS = ['localise', 'check', 'answer', 'fix', 'city_answer'] as const satisfies readonly ClockKind[];
export const CLOCK_STATES = ['running', 'paused', 'met', 'missed', 'stopped'] as const satisfies readonly ClockState[];

export const STATUSES = [
  'registered',
  'needs_routing',
  'in_progress',
  'awaiting_verification',
  'under_inspection',
  'closed',
  'closed_unconfirmed',
  'withdrawn',
  'rejected',
] as const satisfies readonly Status[];
type MissingStatuses = Exclude<Status, (typeof STATUSES)[number]>;
const allStatusesListed: [MissingStatuses] extends [never] ? true : MissingStatuses = true;
void allStatusesListed;

export const OPEN_STATUSES: readonly Status[] = [
  'registered',
  'needs_routing',
  'in_progress',
  'awaiting_verification',
  'under_inspection',
];
export type DuplicateRef = Schemas['DuplicateRef'];
export type Inbox = Schemas['Inbox'];
export type Notification = Schemas['NotificationDto'];
export type Attachment = Schemas['AttachmentDto'];
export type Organisation = Schemas['Organisation'];
export type OrganisationKind = Schemas['OrganisationKind'];
export type AdminBuilding = Schemas['AdminBuilding'];
export type AdminCategory = Schemas['AdminCategory'];
export type ManagementPeriod = Schemas['ManagementPeriod'];
export type ManagementChanged = Schemas['ManagementChanged'];
export type OpenComplaints = Schemas['OpenComplaints'];
export type ApiKey = Schemas['ApiKeyDto'];
export type CreatedApiKey = Schemas['CreatedApiKey'];
export type Scope = Schemas['Scope'];
export type DeadlineUnit = Schemas['DeadlineUnit'];
export type ImportReport = Schemas['ImportReport'];
export type CreateOrganisationRequest = Schemas['CreateOrganisationRequest'];
export type UpdateOrganisationRequest = Schemas['UpdateOrganisationRequest'];
export type CreateBuildingRequest = Schemas['CreateBuildingRequest'];
export type UpdateBuildingRequest = Schemas['UpdateBuildingRequest'];
export type CreateCategoryRequest = Schemas['CreateCategoryRequest'];
export type UpdateCategoryRequest = Schemas['UpdateCategoryRequest'];
export type CreateApiKeyRequest = Schemas['CreateApiKeyRequest'];
export type Channel = Schemas['Channel'];
export type MessageKind = Schemas['MessageKind'];
export type Choice = Schemas['Choice'];
export type MessagingSettings = Schemas['MessagingSettings'];
export type UpdateMessagingSettings = Schemas['UpdateMessagingSettings'];
export type DeliveryState = Schemas['DeliveryState'];
export type Delivery = Schemas['DeliveryDto'];
export type DailyDeliveries = Schemas['DailyDeliveries'];
export type DailyRow = Schemas['DailyRow'];
export type MessageTemplate = Schemas['MessageTemplate'];
export type MessageLanguage = Schemas['Language'];
export type TemplatePreview = Schemas['Preview'];
export type PreviewRequest = Schemas['PreviewRequest'];
export type EventType = Schemas['EventType'];
export type Webhook = Schemas['WebhookDto'];
export type WebhookDetails = Schemas['WebhookDetails'];
export type WebhookWithSecret = Schemas['WebhookWithSecret'];
export type WebhookAttempt = Schemas['WebhookAttemptDto'];
export type WebhookAttemptPage = Schemas['WebhookAttemptPage'];
export type CreateWebhookRequest = Schemas['CreateWebhookRequest'];
export type UpdateWebhookRequest = Schemas['UpdateWebhookRequest'];
export type ReplayRequest = Schemas['ReplayRequest'];
export type PurgeTestDataRequest = Schemas['PurgeTestDataRequest'];
export type PurgeTestDataResult = Schemas['PurgeTestDataResult'];
export type AuditLogEntry = Schemas['AuditLogEntry'];
export type AuditLogQuery = NonNullable<paths['/api/v1/admin/audit-log']['get']['parameters']['query']>;
export type ErasureGround = Schemas['ErasureGround'];
export type ErasureReport = Schemas['ErasureReport'];
export type EraseMyDataRequest = Schemas['EraseMyDataRequest'];
export type RetentionReport = Schemas['RetentionReport'];
export type ExportPersonRequest = Schemas['ExportPersonRequest'];
export type ErasePersonRequest = Schemas['ErasePersonRequest'];
export type OrderRegisterRow = Schemas['OrderRegisterRow'];
export type FineRegisterRow = Schemas['FineRegisterRow'];
export type ActRegisterRow = Schemas['ActRegisterRow'];
export type OrderStatus = Schemas['OrderStatus'];
export type Visit = Schemas['VisitDto'];
export type DocumentTemplate = Schemas['DocumentTemplateDto'];
export type DocumentKind = Schemas['DocumentKind'];
export type PolicyOverview = Schemas['PolicyOverview'];
export type CalendarOverview = Schemas['CalendarOverview'];
export type CalendarYear = Schemas['CalendarYearDto'];
export type CalendarUploadBody = Schemas['CalendarUploadBody'];
export type PolicyVersion = Schemas['PolicyVersionDto'];
export type PolicyValues = Schemas['PolicyDto'];
export type PolicyRule = Schemas['RuleDto'];
export type CreatePolicyVersion = Schemas['CreatePolicyVersion'];
export type SimilarComplaint = Schemas['SimilarComplaint'];
export type FollowRequest = Schemas['FollowRequest'];
export type Followed = Schemas['Followed'];
export type DuplicateLinks = Schemas['DuplicateLinks'];
