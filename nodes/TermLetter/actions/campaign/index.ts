import type { INodeProperties } from 'n8n-workflow';
import { operationOptions } from '../../../shared/fields';
import * as close from './close.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getOutbox from './getOutbox.operation';
import * as getProgress from './getProgress.operation';
import * as getReminders from './getReminders.operation';
import * as getReport from './getReport.operation';
import * as launch from './launch.operation';
import * as recordDeliveries from './recordDeliveries.operation';

export { close, create, get, getMany, getOutbox, getProgress, getReminders, getReport, launch, recordDeliveries };

export const description: INodeProperties[] = [
  operationOptions('campaign', [
    { name: 'Close', value: 'close', action: 'Close a campaign', description: 'End the campaign: its links open nothing from now on (结束)' },
    { name: 'Create', value: 'create', action: 'Create a campaign', description: 'Write a draft term letter (撰写信件)' },
    { name: 'Get', value: 'get', action: 'Get a campaign' },
    { name: 'Get Many', value: 'getMany', action: 'Get many campaigns' },
    { name: 'Get Outbox Batch', value: 'getOutbox', action: 'Get the next batch of letters to send', description: 'Up to 100 families with numbers, link and SMS text, each batch handed out once (待发送批次)' },
    { name: 'Get Progress', value: 'getProgress', action: 'Get the progress of a campaign', description: 'Created, sent, delivered, failed, printed, opened, answered (发送进度)' },
    { name: 'Get Reminders', value: 'getReminders', action: 'Get the families due a reminder', description: 'Up to 100 families who have not opened the letter, each handed out once (未读提醒)' },
    { name: 'Get Report', value: 'getReport', action: 'Get the report of a campaign', description: 'Reach, reading, feedback and its handling, as figures or XLSX (总结报告)' },
    { name: 'Launch', value: 'launch', action: 'Launch a campaign', description: 'Make one letter per family and start sending (发出)' },
    { name: 'Record Deliveries', value: 'recordDeliveries', action: 'Record the outcomes of sending', description: 'Sent, delivered or failed for every input item’s letter, 100 a request (登记发送结果)' },
  ], 'get'),
  ...close.description,
  ...create.description,
  ...get.description,
  ...getMany.description,
  ...getOutbox.description,
  ...getProgress.description,
  ...getReminders.description,
  ...getReport.description,
  ...launch.description,
  ...recordDeliveries.description,
];
