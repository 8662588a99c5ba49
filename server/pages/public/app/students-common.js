// Shared by the student pages: the Chinese names of archive and liaison values (the same words as the forms).
window.hsbStudentLabels = {
  careTier: { special: '特殊学生', key: '重点学生', general: '一般学生' },
  careTierNote: { special: '经常联系', key: '加强联系', general: '保持联系' },
  careTierClass: { special: 'text-bg-danger', key: 'text-bg-warning', general: 'text-bg-secondary' },
  category: { financialHardship: '家庭经济困难', disability: '残疾', chronicIllness: '慢性病', psychological: '心理问题', academic: '学业困难', familyChange: '家庭变故', other: '其他' },
  gender: { male: '男', female: '女' },
  field: {
    studentNo: '学号', name: '姓名', gender: '性别', birthDate: '出生日期', college: '院系', major: '专业', grade: '年级', className: '班级',
    counselor: '辅导员', guardians: '监护人', homeAddress: '家庭住址', careTier: '关注等级', specialCategories: '特殊类别', supportPlan: '帮扶计划',
    medicalHistory: '病史', psychologicalFlags: '心理状况', familyFinances: '家庭经济情况', assistanceRecords: '帮扶记录',
  },
  source: { api: '档案修改', import: '名册导入', confirm: '年度确认', visit: '家访更新', undo: '撤销导入' },
  channel: { phone: '电话', letter: '信件', sms: '短信', online: '网络平台', meeting: '座谈会', homeVisit: '家访' },
  topic: { conduct: '在校表现', grades: '学习成绩', thinking: '思想状况/情绪', awardsPenalties: '奖惩情况', incident: '突发事件' },
  awardKind: { award: '奖励', penalty: '处分' },
  awardLevel: { school: '校级', city: '市级', provincial: '省级', ministerial: '部级', national: '国家级', international: '国际' },
  awardCategory: { honour: '荣誉', competition: '竞赛', goodDeed: '先进事迹', other: '其他' },
};

window.hsbStudentLabel = function (table, value) {
  var names = window.hsbStudentLabels[table] || {};
  return Object.prototype.hasOwnProperty.call(names, value) ? names[value] : value;
};
