import type { Router } from 'express';
import type { StudentsService } from '../students/students.service';
import { aidTeamRoutes } from './aid-team/aid-team.routes';
import { AidTeamService } from './aid-team/aid-team.service';
import { fundersRoutes } from './funders/funders.routes';
import { FundersService } from './funders/funders.service';
import { registerSupportForms } from './support-forms';

/** The aid service team (E1) and social resources (E2): their services, forms and routes, mounted under /api. */
export function supportRoutes(students: StudentsService): Router[] {
  const aidTeam = new AidTeamService(students);
  const funders = new FundersService(students);
  registerSupportForms(aidTeam, funders);
  return [aidTeamRoutes(aidTeam), fundersRoutes(funders)];
}
