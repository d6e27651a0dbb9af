import { defineCompleteMutation } from '../lifecycle/complete-mutation.js';
import { TASK } from '../lifecycle/lifecycle.rules.js';
import { taskEntity } from './task.entity.js';
import { TaskPayloadRef } from './task.payload.js';

defineCompleteMutation(TASK, taskEntity, TaskPayloadRef, 'Completes a task.');
