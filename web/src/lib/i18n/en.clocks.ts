// English texts of the legal clocks (issue 15); ru.clocks.ts has the same keys.
import type { ruClocks } from './ru.clocks';

export const enClocks = {
  'clocks.title': 'Legal deadlines',
  'clocks.clock': 'Deadline',
  'clocks.basis': 'Legal basis',
  'clocks.due': 'Due',
  'clocks.state': 'State',
  'clocks.metAt': 'met {at}',
  'clocks.missedAt': 'missed {at}',
  'clocks.round': 'round {round}',
  'clocks.none': 'No deadlines.',

  'clock.localise': 'Emergency localised',
  'clock.check': 'Utility quality checked',
  'clock.answer': "Company's answer",
  'clock.fix': 'Fixed',
  'clock.city_answer': "City's answer (59-FZ)",

  'clockState.running': 'running',
  'clockState.paused': 'paused',
  'clockState.met': 'met on time',
  'clockState.missed': 'missed',
  'clockState.stopped': 'stopped',

  'board.clock': 'Legal deadline',
  'board.clockState': 'Deadline state',
} satisfies Record<keyof typeof ruClocks, string>;
