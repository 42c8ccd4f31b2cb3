// Every action kind of the API, one component each. The map is exhaustive: a new kind in the
// generated schema fails tsc here until it has a component. The order of the keys is the order in
// which the panel shows the actions.
import type { ComponentType } from 'react';
import type { ActionKind } from '@/lib/api/types';
import { AcceptAction } from './AcceptAction';
import { AssignExecutorAction } from './AssignExecutorAction';
import { CheckComplianceAction } from './CheckComplianceAction';
import { ExtendAnswerAction } from './ExtendAnswerAction';
import { IssueOrderAction } from './IssueOrderAction';
import { NotOurBuildingAction } from './NotOurBuildingAction';
import { PauseClockAction } from './PauseClockAction';
import { RecordCallAction } from './RecordCallAction';
import { RecordFindingsAction } from './RecordFindingsAction';
import { RecategoriseAction } from './RecategoriseAction';
import { RecordFineAction } from './RecordFineAction';
import { RejectAction } from './RejectAction';
import { ReportDoneAction } from './ReportDoneAction';
import { RerouteAction } from './RerouteAction';
import { ResidentAnswerAction } from './ResidentAnswerAction';
import { ResumeClockAction } from './ResumeClockAction';
import { SendToInspectionAction } from './SendToInspectionAction';
import { WithdrawAction } from './WithdrawAction';
import type { ActionProps } from './shared';

export const ACTIONS = {
  accept: AcceptAction,
  assign_executor: AssignExecutorAction,
  report_done: ReportDoneAction,
  pause_clock: PauseClockAction,
  resume_clock: ResumeClockAction,
  not_our_building: NotOurBuildingAction,
  record_call: RecordCallAction,
  resident_answer: ResidentAnswerAction,
  record_findings: RecordFindingsAction,
  issue_order: IssueOrderAction,
  check_compliance: CheckComplianceAction,
  record_fine: RecordFineAction,
  reroute: RerouteAction,
  recategorise: RecategoriseAction,
  send_to_inspection: SendToInspectionAction,
  extend_answer: ExtendAnswerAction,
  reject: RejectAction,
  withdraw: WithdrawAction,
} as const satisfies Record<ActionKind, ComponentType<ActionProps>>;

/** The action kinds in the order the panel shows them. */
export const ACTION_ORDER = Object.keys(ACTIONS) as ActionKind[];

export { CallOutcomes } from './RecordCallAction';
export type { ActionProps } from './shared';
