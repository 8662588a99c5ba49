import { validateWithDefinition } from './server/forms/submission-validator';
const zh = require('./forms/i18n/zh.json');
validateWithDefinition([{type:'textfield', key:'studentName', label:'学生姓名', input:true, validate:{required:true, maxLength:5}} as any, {type:'textfield', key:'b', label:'B', input:true, validate:{required:true}, errors:{required:'请填写B'}} as any], {studentName:'张三李四王五六'}, zh).then(r=>console.log(JSON.stringify(r)));
