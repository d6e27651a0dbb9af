// The schema index: imports every domain module for its side effects, then builds the schema.
import './builder.js';
import '../customers/customer.type.js';
import '../services/service.type.js';
import '../services/mutation.start-service.js';
import '../extensions/extension-schema.type.js';
import '../extensions/mutation.create-extension-schema.js';
import '../extensions/mutation.delete-extension-schema.js';
import '../extensions/mutation.extension-data.js';
import { builder } from './builder.js';

export const schema = builder.toSchema({ sortSchema: true });
