/** A complete visit report (form `visitReport`) for student 2024XX0002 陈静, with the given evidence. */
export function visitReportData(mode: string, photos: unknown[], media?: unknown[]): Record<string, unknown> {
  return {
    studentNo: '2024XX0002', studentName: '陈静', college: '信息工程系', major: '软件技术', grade: '2024',
    visitDate: '2027-01-20', visitMode: mode, visitKind: 'general', groupVisit: 'individual',
    visitorRoles: { counselor: true, schoolLeader: false, academicMentor: false, growthMentor: false, otherStaff: false },
    visitorNames: '刘老师', isRevisit: 'no',
    orientations: { policy: true, ideology: true, study: false, psychology: false, life: false, growth: false },
    familyState: '家庭和睦，父母务农，经济一般。',
    report: '到学生家中走访，与父母面谈两小时，介绍学校资助政策和学生在校表现，家长表示理解支持，并希望学校继续关注学生学业。',
    reflections: '家访让我更了解学生的成长环境，今后将更有针对性地开展工作。',
    photos,
    ...(media ? { media } : {}),
    publicityConsent: 'no',
  };
}
